"use client";
/**
 * The household page's wallet islands (loaded after the page, ./islands.tsx):
 * - ClaimNow: one tap to take a payment. An escrow tranche is claimed directly (`claim`, with a fresh
 *   eligibility proof; the household pays the network fee); a roster tranche without gas: the household
 *   signs, the relayer submits (hooks/useRosterClaim.ts, the roster claim panel's own logic).
 * - OtherWays: the alternatives, folded away: sign an escrow claim for someone else to submit (QR / link
 *   to /relay), or claim a roster tranche directly.
 * - Received: what was just paid, in words; it stays while the server-rendered page refreshes around it.
 * - ConnectRedirect: on /beneficiary without an address, show the connected wallet's own aid.
 */
import { useEffect, useState, useSyncExternalStore } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useConfig } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";
import { QRCodeSVG } from "qrcode.react";
import type { Address, Hex } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { encodeSignedClaim } from "@/lib/escrow/claim-payload";
import { CLAIM_REQUEST_TYPES } from "@/lib/escrow/typed-data";
import { formatAmount } from "@/lib/format/amount";
import { shortHex } from "@/lib/format/text";
import { decodeWebError } from "@/lib/errors/decode";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { useRosterClaim } from "@/hooks/useRosterClaim";
import { TxStatus, useErrorSentence } from "@/components/TxStatus";
import { RelayStatus } from "@/components/roster/RelayStatus";
import { WalletRoot } from "@/components/wallet/WalletRoot";

interface Common {
  /** The household's account (the page's): only it can claim. */
  account: Address;
  tranche: number;
  /** Base units, as a decimal string. */
  amount: string;
  symbol: string;
  decimals: number;
  /** The project's or programme's name. */
  title: string;
  /** Chain time when the page was read (signature deadlines count from it: the chain may run ahead of clocks). */
  now: number;
}
export type ClaimTarget =
  | (Common & { kind: "escrow"; projectId: string; commitment: Hex; attesters?: Address[] })
  | (Common & { kind: "roster"; programme: Address; chainId: number; index: string; proof: Hex[] });

// ---------------------------------------------------------------- what was just received
type Receipt = { key: string; account: string; text: string };
let received: Receipt[] = [];
const listeners = new Set<() => void>();
const receivedStore = {
  add(r: Receipt) {
    received = [...received.filter((x) => x.key !== r.key), r];
    listeners.forEach((l) => l());
  },
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  get: () => received,
};
const NONE: Receipt[] = [];

/** What this household received on this visit (the store outlives a move to another household's page). */
export function Received({ account }: { account: Address }) {
  const list = useSyncExternalStore(receivedStore.subscribe, receivedStore.get, () => NONE).filter((r) => r.account === account.toLowerCase());
  if (list.length === 0) return null;
  return (
    <ul className="received" data-testid="received">
      {list.map((r) => (
        <li key={r.key} className="success" role="status">
          {r.text}
        </li>
      ))}
    </ul>
  );
}

// ---------------------------------------------------------------- one tap to receive
function useAmountText(t: Common) {
  const locale = useLocale();
  return `${formatAmount(BigInt(t.amount), t.decimals, locale)} ${t.symbol}`;
}

/** Whether the connected wallet is the household's own account, and what to say when it is not. */
function useOwnAccount(account: Address) {
  const t = useTranslations("household");
  const { address, isConnected } = useActiveChain();
  const isMe = address?.toLowerCase() === account.toLowerCase();
  const hint = !isConnected ? t("connectToClaim") : !isMe ? t("otherAccount", { address: shortHex(address ?? "") }) : undefined;
  return { isMe, hint };
}

function EscrowClaim({ target }: { target: ClaimTarget & { kind: "escrow" } }) {
  const t = useTranslations("household");
  const tDone = useTranslations("done");
  const router = useRouter();
  const { deployment } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const { isMe, hint } = useOwnAccount(target.account);
  const amount = useAmountText(target);
  const receivedText = t("receivedLine", { amount, target: target.title, n: target.tranche + 1 });
  return (
    <div className="claim-now" data-testid={`claim-escrow-${target.projectId}-${target.tranche}`}>
      <button
        type="button"
        className="btn big"
        disabled={!canWrite || !isMe || busy || !target.attesters}
        onClick={async () => {
          const receipt = await write(
            { address: deployment!.escrow, abi: aidEscrowAbi, functionName: "claim", args: [BigInt(target.projectId), target.commitment, target.tranche, target.attesters ?? []] },
            tDone("claimed", { amount, n: target.tranche + 1, target: target.title }),
          );
          if (receipt) {
            receivedStore.add({ key: `escrow:${target.projectId}:${target.tranche}`, account: target.account.toLowerCase(), text: receivedText });
            router.refresh();
          }
        }}
      >
        {t("claimNow", { amount })}
      </button>
      {hint && <p className="small muted">{hint}</p>}
      {isMe && <p className="small muted">{t("feeNote")}</p>}
      <TxStatus state={state} />
    </div>
  );
}

function RosterClaim({ target }: { target: ClaimTarget & { kind: "roster" } }) {
  const t = useTranslations("household");
  const router = useRouter();
  const { isConnected } = useActiveChain();
  const { isMe, hint } = useOwnAccount(target.account);
  const amount = useAmountText(target);
  const receivedText = t("receivedLine", { amount, target: target.title, n: target.tranche + 1 });
  const claim = useRosterClaim({ ...target, name: target.title }, { index: BigInt(target.index), amount: BigInt(target.amount), proof: target.proof }, () => {
    receivedStore.add({ key: `roster:${target.programme}:${target.tranche}`, account: target.account.toLowerCase(), text: receivedText });
    router.refresh();
  });
  return (
    <div className="claim-now" data-testid={`claim-roster-${target.programme}-${target.tranche}`}>
      <button type="button" className="btn big" disabled={!isConnected || !isMe || claim.working} onClick={() => claim.claimWithoutGas(target.tranche)}>
        {t("claimNow", { amount })}
      </button>
      {hint && <p className="small muted">{hint}</p>}
      {isMe && !claim.relay && <p className="small muted">{t("noFeeNote")}</p>}
      {claim.relay && <RelayStatus relay={claim.relay} chainId={target.chainId} amount={amount} name={target.title} />}
    </div>
  );
}

export function ClaimNow({ target }: { target: ClaimTarget }) {
  return <WalletRoot>{target.kind === "escrow" ? <EscrowClaim target={target} /> : <RosterClaim target={target} />}</WalletRoot>;
}

// ---------------------------------------------------------------- other ways
function SignForRelay({ target }: { target: ClaimTarget & { kind: "escrow" } }) {
  const t = useTranslations("household");
  const config = useConfig();
  const { deployment, chainId } = useActiveChain();
  const { isMe } = useOwnAccount(target.account);
  const sentence = useErrorSentence();
  const [link, setLink] = useState<string>();
  const [error, setError] = useState<string>();
  async function sign() {
    setError(undefined);
    try {
      // The EIP-712 domain comes from the escrow itself (ERC-5267), never hard-coded.
      const [, name, version, domainChainId, verifyingContract] = await readContract(config, { address: deployment!.escrow, abi: aidEscrowAbi, functionName: "eip712Domain", chainId });
      const nonce = await readContract(config, { address: deployment!.escrow, abi: aidEscrowAbi, functionName: "claimNonce", args: [target.account], chainId });
      const request = {
        projectId: BigInt(target.projectId),
        commitment: target.commitment,
        trancheIndex: target.tranche,
        recipient: target.account,
        amount: BigInt(target.amount),
        nonce,
        deadline: BigInt(target.now + 7 * 86400),
      };
      const signature = await signTypedData(config, { domain: { name, version, chainId: Number(domainChainId), verifyingContract }, types: CLAIM_REQUEST_TYPES, primaryType: "ClaimRequest", message: request });
      setLink(`${window.location.origin}/relay?c=${encodeSignedClaim({ chainId: Number(domainChainId), escrow: verifyingContract, request, signature })}`);
    } catch (err) {
      setError(sentence(decodeWebError(err)));
    }
  }
  return (
    <div>
      <p className="small">{t("signHelp")}</p>
      <button type="button" className="btn secondary" disabled={!isMe} onClick={sign}>
        {t("signN", { n: target.tranche + 1 })}
      </button>
      {error && (
        <p className="notice" role="status">
          {error}
        </p>
      )}
      {link && (
        <div data-testid="signed-claim">
          <div className="qr">
            <QRCodeSVG value={link} size={200} title={t("signedTitle", { n: target.tranche + 1 })} />
          </div>
          <label className="field">
            {t("payload")}
            <textarea readOnly value={link} className="mono" data-testid="signed-payload" />
          </label>
        </div>
      )}
    </div>
  );
}

function ClaimDirectly({ target }: { target: ClaimTarget & { kind: "roster" } }) {
  const t = useTranslations("household");
  const router = useRouter();
  const { isMe } = useOwnAccount(target.account);
  const amount = useAmountText(target);
  const claim = useRosterClaim({ ...target, name: target.title }, { index: BigInt(target.index), amount: BigInt(target.amount), proof: target.proof }, () => {
    receivedStore.add({ key: `roster:${target.programme}:${target.tranche}`, account: target.account.toLowerCase(), text: t("receivedLine", { amount, target: target.title, n: target.tranche + 1 }) });
    router.refresh();
  });
  return (
    <div>
      <p className="small">{t("directHelp")}</p>
      <button type="button" className="btn secondary" disabled={!claim.canWrite || !isMe || claim.working} onClick={() => claim.claimDirectly(target.tranche)}>
        {t("claimDirectlyN", { n: target.tranche + 1 })}
      </button>
      <TxStatus state={claim.state} />
    </div>
  );
}

export function OtherWays({ target }: { target: ClaimTarget }) {
  return <WalletRoot>{target.kind === "escrow" ? <SignForRelay target={target} /> : <ClaimDirectly target={target} />}</WalletRoot>;
}

// ---------------------------------------------------------------- /beneficiary without an address
export function ConnectRedirect() {
  return (
    <WalletRoot>
      <Redirect />
    </WalletRoot>
  );
}

function Redirect() {
  const router = useRouter();
  const { address } = useActiveChain();
  useEffect(() => {
    if (address) router.replace(`/beneficiary?address=${address}`);
  }, [address, router]);
  return null;
}

// ---------------------------------------------------------------- the household's own link
/** The link (and its QR code) that opens this page for the household's account: for its card or a message. */
export function ShareLink({ account }: { account: Address }) {
  const t = useTranslations("household");
  const link = `${window.location.origin}/beneficiary?address=${account}`;
  return (
    <div>
      <div className="qr">
        <QRCodeSVG value={link} size={160} title={t("shareLink")} />
      </div>
      <p className="small mono">{link}</p>
    </div>
  );
}
