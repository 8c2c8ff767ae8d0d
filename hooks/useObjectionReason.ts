"use client";
/**
 * The reason of an objection, for both objection forms (a project's household, a roster's leaf): the text
 * is checked for personal data in the browser (lib/objections/text.ts), then published to the dApp's
 * server (/api/objections/<hash>), and only once the server holds it is its hash handed to the form's
 * write. So nothing goes on chain whose reason a reviewer could not read, and a refused text costs
 * nothing but a sentence.
 */
import { useState } from "react";
import { useTranslations } from "next-intl";
import type { Hex } from "viem";
import { checkObjectionText, normaliseObjectionText } from "@/lib/objections/text";
import { ObjectionTextRefusal, publishObjectionText } from "@/lib/objections/client";

export function useObjectionReason() {
  const t = useTranslations("objectionText");
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string>();
  const [publishing, setPublishing] = useState(false);
  const normalised = normaliseObjectionText(text);

  /** Checks and publishes the text; resolves to its hash, or undefined after showing why not. */
  async function publish(): Promise<Hex | undefined> {
    const issue = checkObjectionText(normalised);
    if (issue) {
      setProblem(t(`problem.${issue}`));
      return undefined;
    }
    setProblem(undefined);
    setPublishing(true);
    try {
      return await publishObjectionText(normalised);
    } catch (err) {
      const code = err instanceof ObjectionTextRefusal ? err.code : "Unreachable";
      setProblem(t.has(`server.${code}`) ? t(`server.${code}`) : t("server.Unreachable"));
      return undefined;
    } finally {
      setPublishing(false);
    }
  }

  return {
    text,
    setText: (value: string) => {
      setText(value);
      setProblem(undefined);
    },
    /** A sentence saying why the text cannot be published, once the person tried. */
    problem,
    publishing,
    empty: normalised.length === 0,
    publish,
  };
}
