import { headers } from "next/headers";
import { NotListed } from "./listed";

/**
 * HTTP 404 for an address that is not a programme of this dApp's roster factory, or not an address at
 * all (page.tsx calls notFound()): with a warning not to send money to it.
 */
export default async function ProgrammeNotFound() {
  return <NotListed raw={decodeURIComponent(((await headers()).get("x-pathname") ?? "").split("/").pop() ?? "")} />;
}
