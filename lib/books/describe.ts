/**
 * How the folds' anomaly messages name amounts, households and times. The folds are pure and know no
 * token's symbol or decimals, so by default a message holds the raw values (base units, the 32-byte
 * commitment, Unix seconds), as the audit's JSON report keeps them for machines; the audit CLI passes a
 * describer with the tokens it read, so the warnings a person reads say "1.5 ETH", "household K7-Q2
 * (0xaaaa…aaaa)" and a UTC date.
 */
export interface Describe {
  amount(token: string, value: bigint | string): string;
  household(commitment: string): string;
  time(seconds: number): string;
}

export const RAW_DESCRIBE: Describe = {
  amount: (_token, value) => String(value),
  household: (commitment) => commitment,
  time: (seconds) => String(seconds),
};
