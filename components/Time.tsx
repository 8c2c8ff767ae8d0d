/**
 * A time as people read it: in the viewer's zone with the zone named ("2026年12月22日 07:15 北京时间"),
 * the chain's UTC in the title (hover, long-press) and machine-readable in dateTime. Server or client.
 */
import { useTime } from "@/hooks/useTime";

export function Time({ at, dateOnly = false }: { at: number | bigint; dateOnly?: boolean }) {
  const time = useTime();
  const n = Number(at);
  if (!n) return <>—</>;
  return (
    <time dateTime={new Date(n * 1000).toISOString()} title={time.utc(n)}>
      {dateOnly ? time.date(n) : time(n)}
    </time>
  );
}
