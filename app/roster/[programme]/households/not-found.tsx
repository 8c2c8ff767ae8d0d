import { headers } from "next/headers";
import { NotListed } from "../listed";

/** HTTP 404 for /roster/<not a listed programme>/households, with the programme page's warning. */
export default async function HouseholdsNotFound() {
  return <NotListed raw={decodeURIComponent(((await headers()).get("x-pathname") ?? "").split("/").at(-2) ?? "")} />;
}
