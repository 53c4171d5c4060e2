// Days and instants of a workspace's calendar, as SQL. Every instant is an expression of bound
// values alone — "now" included: the application's clock, unless a test pins it — and of
// immutable functions, so the planner folds each into a constant before it plans. With `now()`
// (only stable) it could not: a filter recomputed the time-zone arithmetic for every row it
// tested (at 10^6 contacts, three quarters of the counters' scan), and an instant computed once
// in a subquery is a value the planner cannot see when it estimates how many rows pass.
import { sql, type RawBuilder } from 'kysely';

type Sql = RawBuilder<unknown>;

export class Clock {
  private readonly now: Date;

  constructor(
    private readonly timezone: string,
    now?: Date,
  ) {
    this.now = now ?? new Date();
  }

  private today(): Sql {
    return sql`(${this.now.toISOString()}::timestamptz at time zone ${this.timezone}::text)::date`;
  }

  /** The instant a local day starts. */
  private dayStart(day: Sql): Sql {
    return sql`((${day})::timestamp at time zone ${this.timezone}::text)`;
  }

  /** The start of the day `date` (an ISO date). */
  startOf(date: unknown): Sql {
    return this.dayStart(sql`${date}::date`);
  }

  /** The end of the day `date`: the start of the next one. */
  endOf(date: unknown): Sql {
    return this.dayStart(sql`${date}::date + 1`);
  }

  /** The start of "the last `days` days": today and the days − 1 before it. */
  startOfLastDays(days: number): Sql {
    return this.dayStart(sql`${this.today()} - ${days - 1}::int`);
  }
}
