import type { SolidityHooks } from "hardhat/types/hooks";

interface CompilerMessage {
  severity: string;
  formattedMessage?: string;
  sourceLocation?: { file: string };
}

/**
 * A warning located in an npm package's source: its source name starts with "npm/" in Hardhat 3
 * ("npm/@openzeppelin/contracts@5.7.0/..."), which Hardhat remaps to "./node_modules/..." for display.
 */
export function isDependencyWarning(e: CompilerMessage): boolean {
  if (e.severity !== "warning") return false;
  if ((e.sourceLocation?.file ?? "").startsWith("npm/")) return true;
  return /-->\s+(\.\/)?node_modules\//.test(e.formattedMessage ?? "");
}

export default async (): Promise<Partial<SolidityHooks>> => ({
  async getCompilationJobErrors(context, job, output, next) {
    const errors = await next(context, job, output);
    return errors.filter((e) => !isDependencyWarning(e));
  },
});
