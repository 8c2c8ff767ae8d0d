import type { ReactNode } from "react";
import type { TokenInfo } from "@/lib/chain/tokens";
import { TokenAmount } from "@/components/TokenAmount";

/** A horizontally scrollable table with one header row of column labels (the audit and evaluation books). */
export function DataTable({ columns, children }: { columns: ReactNode[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th scope="col" key={i}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** One cell per amount, all in the same token. */
export function AmountCells({ values, token }: { values: bigint[]; token: TokenInfo | undefined }) {
  return (
    <>
      {values.map((v, i) => (
        <td key={i}>
          <TokenAmount value={v} token={token} />
        </td>
      ))}
    </>
  );
}
