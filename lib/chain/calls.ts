/**
 * Contract calls checked against their `as const` ABIs (lib/generated/*), as Scaffold-ETH's
 * useScaffoldWriteContract checks them: a function name that is not in the ABI (or not of the right
 * mutability) or arguments of the wrong shape do not compile, and `value` is accepted only for payable
 * functions. The write path (hooks/useWrite.ts) takes these; a component that sends a call for its caller
 * (the donation and refund forms) takes a WriteRequest / ViewRequest built, and so checked, by
 * contractWrite / contractView.
 */
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, ContractFunctionParameters, GetValue } from "viem";

/** State mutabilities a transaction can call. */
export type WriteMutability = "nonpayable" | "payable";
/** State mutabilities a read can call. */
export type ViewMutability = "view" | "pure";

/**
 * A write checked against its ABI: `functionName` is one of the ABI's writing functions, `args` are its
 * arguments (omitted when it takes none), `value` only where the function is payable.
 */
export type ContractWrite<
  abi extends Abi | readonly unknown[] = Abi,
  fn extends ContractFunctionName<abi, WriteMutability> = ContractFunctionName<abi, WriteMutability>,
  args extends ContractFunctionArgs<abi, WriteMutability, fn> = ContractFunctionArgs<abi, WriteMutability, fn>,
> = ContractFunctionParameters<abi, WriteMutability, fn, args> & GetValue<abi, fn>;

/** A read checked against its ABI: a view or pure function and its arguments. */
export type ContractView<
  abi extends Abi | readonly unknown[] = Abi,
  fn extends ContractFunctionName<abi, ViewMutability> = ContractFunctionName<abi, ViewMutability>,
  args extends ContractFunctionArgs<abi, ViewMutability, fn> = ContractFunctionArgs<abi, ViewMutability, fn>,
> = ContractFunctionParameters<abi, ViewMutability, fn, args>;

/** A write of some ABI, already checked where it was built (by contractWrite). */
export interface WriteRequest {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
}

/** A read of some ABI, already checked where it was built (by contractView). */
export interface ViewRequest {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
}

/**
 * Checks a write against its ABI where it is built, for a component that sends it later. The one place a
 * checked write is widened to WriteRequest.
 */
export function contractWrite<
  const abi extends Abi | readonly unknown[],
  fn extends ContractFunctionName<abi, WriteMutability>,
  const args extends ContractFunctionArgs<abi, WriteMutability, fn>,
>(request: ContractWrite<abi, fn, args>): WriteRequest {
  return request as WriteRequest;
}

/** Checks a read against its ABI where it is built (see contractWrite). */
export function contractView<
  const abi extends Abi | readonly unknown[],
  fn extends ContractFunctionName<abi, ViewMutability>,
  const args extends ContractFunctionArgs<abi, ViewMutability, fn>,
>(request: ContractView<abi, fn, args>): ViewRequest {
  return request as ViewRequest;
}
