/**
 * Household passkeys without a chain: real P-256 keys, WebAuthn assertions built as a browser builds them,
 * ERC-7739 wrapping as viem does it, and EntryPoint v0.8 UserOperation packing. Pure functions, shared by
 * the tests (test/account/helpers.ts) and the gas benchmark (scripts/bench/passkey-gas.ts).
 *
 * The passkey here is an authenticator in software: it signs SHA-256(authenticatorData ‖
 * SHA-256(clientDataJSON)) with its P-256 key, exactly what a phone's authenticator signs. Signatures
 * are deterministic (RFC 6979), so gas measured with them does not vary from run to run.
 */
import { AbiCoder, Interface, concat, getBytes, id, sha256, toBeHex, toUtf8Bytes, ZeroHash, type BytesLike } from "ethers";
import { P256 } from "ox";
import { hashMessage as erc7739MessageHash, hashTypedData as erc7739TypedDataHash, wrapTypedDataSignature } from "viem/experimental/erc7739";
import type { TypedData, TypedDataDomain } from "viem";
import { HouseholdAccount__factory, HouseholdAccountFactory__factory } from "../../types/ethers-contracts/index.ts";

const coder = AbiCoder.defaultAbiCoder();

export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
export const DAY_SECONDS = 86_400n;
/** The account's EIP-712 domain name and version (HouseholdAccount's constructor). */
export const ACCOUNT_DOMAIN = { name: "PrecisionAid Household", version: "1" } as const;
/** ERC-7821's single batch mode, no opData. */
export const BATCH_MODE = "0x0100000000000000000000000000000000000000000000000000000000000000";
export const ZERO_SALT = ZeroHash;

const hex32 = (n: bigint) => toBeHex(n, 32);

// ------------------------------------------------------------------------------------------------ passkey

export type AssertionOptions = {
  /** The authenticator verified the user (screen lock, fingerprint): the UV flag. Default true. */
  userVerified?: boolean;
  /** Return the high-s twin of the signature (as about half of raw authenticator signatures are). */
  highS?: boolean;
  /** Chrome sometimes adds keys to clientDataJSON; the contract must not care. */
  extraClientData?: boolean;
  origin?: string;
  rpId?: string;
};

/** One WebAuthn assertion, as the browser hands it over (and the fields the contract reads). */
export type Assertion = {
  authenticatorData: string;
  clientDataJSON: string;
  r: string;
  s: string;
  challengeIndex: number;
  typeIndex: number;
};

/** A passkey: a P-256 credential whose private key never leaves it, signing WebAuthn assertions. */
export class Passkey {
  readonly qx: string;
  readonly qy: string;
  readonly #privateKey: `0x${string}`;

  /** A deterministic key from `seed`: tests and benchmarks get the same key, address and gas every run. */
  constructor(seed: string) {
    const k = (BigInt(id(`passkey:${seed}`)) % (P256_N - 1n)) + 1n;
    this.#privateKey = hex32(k) as `0x${string}`;
    const { x, y } = P256.getPublicKey({ privateKey: this.#privateKey });
    this.qx = hex32(x);
    this.qy = hex32(y);
  }

  /** What `navigator.credentials.get({ publicKey: { challenge } })` returns for this credential. */
  assert(challenge: BytesLike, o: AssertionOptions = {}): Assertion {
    const rpId = o.rpId ?? "localhost";
    const origin = o.origin ?? "http://localhost:3220";
    // Flags: user present, user verified (unless told otherwise), backup eligible and backed up (a
    // synced platform passkey). Synced passkeys report a zero signature counter.
    const flags = 0x01 | (o.userVerified === false ? 0 : 0x04) | 0x08 | 0x10;
    const authenticatorData = concat([sha256(toUtf8Bytes(rpId)), toBeHex(flags, 1), "0x00000000"]);
    const client: Record<string, unknown> = {
      type: "webauthn.get",
      challenge: Buffer.from(getBytes(challenge)).toString("base64url"),
      origin,
      crossOrigin: false,
    };
    if (o.extraClientData) {
      client.other_keys_can_be_added_here = "do not compare clientDataJSON against a template. See https://goo.gl/yabPex";
    }
    const clientDataJSON = JSON.stringify(client);
    const signed = concat([authenticatorData, sha256(toUtf8Bytes(clientDataJSON))]);
    const { r, s } = P256.sign({ payload: signed as `0x${string}`, privateKey: this.#privateKey, hash: true, extraEntropy: false });
    return {
      authenticatorData,
      clientDataJSON,
      r: hex32(r),
      s: hex32(o.highS ? P256_N - s : s),
      challengeIndex: clientDataJSON.indexOf('"challenge":"'),
      typeIndex: clientDataJSON.indexOf('"type":"'),
    };
  }

  /** A raw signature for the account: the assertion in SignerWebAuthn's flat encoding. */
  sign(challenge: BytesLike, o: AssertionOptions = {}): string {
    return encodeAssertion(this.assert(challenge, o));
  }
}

/**
 * SignerWebAuthn reads abi.encode(r, s, challengeIndex, typeIndex, authenticatorData, clientDataJSON):
 * six flat arguments, not one tuple (a tuple would start with an offset word and fail).
 */
export function encodeAssertion(a: Assertion): string {
  return coder.encode(
    ["bytes32", "bytes32", "uint256", "uint256", "bytes", "string"],
    [a.r, a.s, a.challengeIndex, a.typeIndex, a.authenticatorData, a.clientDataJSON],
  );
}

// ------------------------------------------------------------------------------------------------ ERC-7739

/** The account's EIP-712 domain, known before the account exists (the salt field is zero). */
export function accountDomain(account: string, chainId: bigint) {
  return { ...ACCOUNT_DOMAIN, chainId, verifyingContract: account as `0x${string}`, salt: ZERO_SALT as `0x${string}` };
}

type Domain = { name: string; version: string; chainId: bigint; verifyingContract: string };

/**
 * An ERC-1271 signature of the account for typed data under another contract's domain (the escrow's
 * ClaimRequest, a roster's RosterClaim): the passkey signs the ERC-7739 nested hash (the contents, the
 * app's domain and the account's own domain), and the signature carries what the account needs to
 * rebuild it. `chainId` is the chain the account's domain is computed for (a replay test varies it).
 */
export function signTypedDataFor(
  passkey: Passkey,
  account: string,
  domain: Domain,
  types: Record<string, readonly { name: string; type: string }[]>,
  primaryType: string,
  message: Record<string, unknown>,
  o: AssertionOptions & { accountChainId?: bigint } = {},
): string {
  const appDomain = { ...domain, verifyingContract: domain.verifyingContract as `0x${string}` } as TypedDataDomain;
  const typed = types as unknown as TypedData;
  const challenge = erc7739TypedDataHash({
    domain: appDomain,
    types: typed,
    primaryType,
    message,
    verifierDomain: accountDomain(account, o.accountChainId ?? domain.chainId),
  } as Parameters<typeof erc7739TypedDataHash>[0]);
  return wrapTypedDataSignature({
    domain: appDomain,
    types: typed,
    primaryType,
    message,
    signature: passkey.sign(challenge, o) as `0x${string}`,
  } as Parameters<typeof wrapTypedDataSignature>[0]);
}

// ------------------------------------------------------------------------------------------------ UserOperations

/** EntryPoint v0.8's PackedUserOperation. */
export type PackedUserOperation = {
  sender: string;
  nonce: bigint;
  initCode: string;
  callData: string;
  accountGasLimits: string;
  preVerificationGas: bigint;
  gasFees: string;
  paymasterAndData: string;
  signature: string;
};

export type UserOperationInput = {
  sender: string;
  nonce?: bigint;
  initCode?: string;
  callData: string;
  verificationGasLimit?: bigint;
  callGasLimit?: bigint;
  preVerificationGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  maxFeePerGas?: bigint;
  paymaster?: string;
  paymasterVerificationGasLimit?: bigint;
  paymasterPostOpGasLimit?: bigint;
  paymasterData?: string;
};

const pack128 = (high: bigint, low: bigint) => concat([toBeHex(high, 16), toBeHex(low, 16)]);

/**
 * Packs a UserOperation. Gas limits default to what a passkey account needs on a chain without the P-256
 * precompile (OpenZeppelin's Solidity fallback, ~0.3M to verify), so the same operation works on both.
 */
export function packUserOp(u: UserOperationInput): PackedUserOperation {
  const paymasterAndData = u.paymaster
    ? concat([
        u.paymaster,
        toBeHex(u.paymasterVerificationGasLimit ?? 200_000n, 16),
        toBeHex(u.paymasterPostOpGasLimit ?? 0n, 16),
        u.paymasterData ?? "0x",
      ])
    : "0x";
  return {
    sender: u.sender,
    nonce: u.nonce ?? 0n,
    initCode: u.initCode ?? "0x",
    callData: u.callData,
    accountGasLimits: pack128(u.verificationGasLimit ?? 500_000n, u.callGasLimit ?? 200_000n),
    preVerificationGas: u.preVerificationGas ?? 60_000n,
    gasFees: pack128(u.maxPriorityFeePerGas ?? 1_000_000_000n, u.maxFeePerGas ?? 2_000_000_000n),
    paymasterAndData,
    signature: "0x",
  };
}

/** Signs `op` with `passkey`: the account signs EntryPoint v0.8's EIP-712 userOpHash as is. */
export async function signUserOp(entryPoint: { getUserOpHash(op: PackedUserOperation): Promise<string> }, op: PackedUserOperation, passkey: Passkey, o: AssertionOptions = {}) {
  const hash = await entryPoint.getUserOpHash(op);
  return { ...op, signature: passkey.sign(hash, o) };
}

/** `execute(BATCH_MODE, abi.encode([calls]))`: the account's ERC-7821 batch call data. */
export function executeCalls(calls: { target: string; value?: bigint; data?: string }[]) {
  const executionData = coder.encode(["tuple(address,uint256,bytes)[]"], [calls.map((c) => [c.target, c.value ?? 0n, c.data ?? "0x"])]);
  return HouseholdAccount__factory.createInterface().encodeFunctionData("execute", [BATCH_MODE, executionData]);
}

/** The account's factory call for `initCode`: the factory's address then `createAccount(qx, qy, salt)`. */
export function initCodeFor(factory: string, passkey: Passkey, salt = ZERO_SALT) {
  return concat([
    factory,
    HouseholdAccountFactory__factory.createInterface().encodeFunctionData("createAccount", [passkey.qx, passkey.qy, salt]),
  ]);
}

/** An ERC-20 `transfer(to, amount)` call. */
export function transferData(to: string, amount: bigint) {
  return new Interface(["function transfer(address to, uint256 amount)"]).encodeFunctionData("transfer", [to, amount]);
}

/** The paymaster's four bytes of `paymasterData`: the UTC day the operation counts against. */
export const dayData = (day: bigint) => toBeHex(day, 4);


/**
 * An ERC-1271 signature of the account for a plain message (EIP-191 `personal_sign`): under ERC-7739 the
 * passkey signs PersonalSign(bytes prefixed) nested in the account's own domain, and the signature is the
 * raw assertion. The hash to check is EIP-191's hash of `message`.
 */
export function signMessageFor(passkey: Passkey, account: string, chainId: bigint, message: string, o: AssertionOptions = {}): string {
  return passkey.sign(erc7739MessageHash({ message, verifierDomain: accountDomain(account, chainId) }), o);
}
