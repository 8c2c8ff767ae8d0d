"use client";
/**
 * A wallet island on the household page: claim a tranche directly, or sign an EIP-712 claim that anyone
 * may submit (shown as a QR code and a link to /relay). Only offered to the household's own account.
 */
import { useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { useConfig } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";
import { QRCodeSVG } from "qrcode.react";
import type { Abi, Address } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import type { HouseholdBook, ProjectBook } from "@/lib/escrow/events";
import { encodeSignedClaim } from "@/lib/escrow/claim-payload";
import { CLAIM_REQUEST_TYPES } from "@/lib/escrow/typed-data";
import { decodeWebError } from "@/lib/errors/decode";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus, useErrorSentence } from "@/components/TxStatus";
import { useProjectName } from "@/components/ProjectBits";
import { useTokenInfo } from "@/hooks/useChainData";
import { formatTokenAmount } from "@/lib/format/amount";
import { WalletRoot } from "@/components/wallet/WalletRoot";

interface Props {
  p: ProjectBook;
  b: HouseholdBook;
  account: Address;
  now: number;
  claimable: number[];
}

function Actions({ p, b, account, now, claimable }: Props) {
  const t = useTranslations("beneficiary");
  const config = useConfig();
  const { deployment, chainId, address } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const sentence = useErrorSentence();
  const [signed, setSigned] = useState<{ payload: string; tranche: number } | undefined>();
  const [signError, setSignError] = useState<string>();
  const isMe = address?.toLowerCase() === account.toLowerCase();
  const tDone = useTranslations("done");
  const locale = useLocale();
  const projectName = useProjectName(p);
  const token = useTokenInfo(p.terms.token);
  const claimedInWords = (tranche: number) =>
    token ? tDone("claimed", { amount: formatTokenAmount(p.terms.amountPerTranche, token, locale), n: tranche + 1, target: projectName }) : undefined;

  async function sign(tranche: number) {
    setSignError(undefined);
    try {
      // The EIP-712 domain comes from the escrow itself (ERC-5267), never hard-coded.
      const [, name, version, domainChainId, verifyingContract] = (await readContract(config, {
        address: deployment!.escrow,
        abi: aidEscrowAbi,
        functionName: "eip712Domain",
        chainId,
      } as never)) as readonly [unknown, string, string, bigint, Address];
      const nonce = (await readContract(config, { address: deployment!.escrow, abi: aidEscrowAbi, functionName: "claimNonce", args: [account], chainId } as never)) as bigint;
      const request = {
        projectId: p.projectId,
        commitment: b.commitment,
        trancheIndex: tranche,
        recipient: account,
        amount: p.terms.amountPerTranche,
        nonce,
        deadline: BigInt(now + 7 * 86400),
      };
      const signature = await signTypedData(config, {
        domain: { name, version, chainId: Number(domainChainId), verifyingContract },
        types: CLAIM_REQUEST_TYPES,
        primaryType: "ClaimRequest",
        message: request,
      });
      setSigned({ tranche, payload: encodeSignedClaim({ chainId: Number(domainChainId), escrow: verifyingContract, request, signature }) });
    } catch (err) {
      setSignError(sentence(decodeWebError(err)));
    }
  }

  // Keep showing the outcome of a claim after the books refresh has made the tranche unclaimable.
  if (claimable.length === 0 && state.status === "idle" && !signed && !signError) return null;
  if (!isMe && claimable.length > 0) return <p className="notice small">{t("connectToClaim")}</p>;
  const relayLink = signed ? `${window.location.origin}/relay?c=${signed.payload}` : "";
  return (
    <div className="card" data-testid={`actions-${p.projectId}`}>
      {claimable.map((i) => (
        <div className="row" key={i}>
          <button
            type="button"
            className="btn"
            disabled={!canWrite || busy || !token}
            onClick={() => write({ address: deployment!.escrow, abi: aidEscrowAbi as Abi, functionName: "claim", args: [p.projectId, b.commitment, i, []] }, claimedInWords(i))}
          >
            {t("claimN", { n: i + 1 })}
          </button>
          <button type="button" className="btn secondary" disabled={!canWrite || busy} onClick={() => sign(i)}>
            {t("signN", { n: i + 1 })}
          </button>
        </div>
      ))}
      <TxStatus state={state} />
      {signError && (
        <p className="notice" role="status">
          {signError}
        </p>
      )}
      {signed && (
        <div className="card" data-testid="signed-claim">
          <h3>{t("signedTitle", { n: signed.tranche + 1 })}</h3>
          <p className="small">{t("signedHelp")}</p>
          <div className="qr">
            <QRCodeSVG value={relayLink} size={200} title={t("signedTitle", { n: signed.tranche + 1 })} />
          </div>
          <label className="field">
            {t("payload")}
            <textarea readOnly value={relayLink} className="mono" data-testid="signed-payload" />
          </label>
          <button type="button" className="btn small secondary" onClick={() => navigator.clipboard?.writeText(relayLink)}>
            {t("copy")}
          </button>
        </div>
      )}
    </div>
  );
}

export default function EnrolmentActions(props: Props) {
  return (
    <WalletRoot>
      <Actions {...props} />
    </WalletRoot>
  );
}
