/**
 * A Parquet run read with DuckDB (`npm install @duckdb/node-api`): each home's energy cost, grid
 * import and P2P trade over the run, and the community's evening peak, straight from the files.
 *
 *   npx wattswap run --format parquet --out runs/demo-parquet
 *   npx tsx examples/parquet-duckdb.ts runs/demo-parquet
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2] ?? 'runs/baseline-summer-seed42';
const file = (name: string) => `'${join(dir, name).replaceAll("'", "''")}'`;

const db = await (await DuckDBInstance.create(':memory:')).connect();
const query = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS();

console.table(
  await query(`
    SELECT household_id,
           round(sum(energy_cost_usd), 2)                  AS energy_cost_usd,
           round(sum(grid_import_kwh), 2)                  AS grid_import_kwh,
           round(sum(p2p_bought_kwh - p2p_sold_kwh), 2)    AS p2p_net_bought_kwh
    FROM read_parquet(${file('timeline.parquet')})
    GROUP BY household_id ORDER BY household_id`),
);

// the evening half hours with the most grid import, summed over the run's days (start is ISO 8601
// with the Pacific offset, so its clock time is local)
console.table(
  await query(`
    SELECT substr(start, 12, 5) AS local_time, round(sum(grid_import_kwh), 2) AS community_import_kwh
    FROM read_parquet(${file('timeline.parquet')})
    WHERE substr(start, 12, 2) BETWEEN '16' AND '20'
    GROUP BY local_time ORDER BY community_import_kwh DESC LIMIT 3`),
);

console.table(
  await query(`
    SELECT seller, buyer, count(*)::INTEGER AS trades, round(sum(delivered_kwh), 2) AS delivered_kwh
    FROM read_parquet(${file('trades.parquet')})
    GROUP BY seller, buyer ORDER BY delivered_kwh DESC LIMIT 5`),
);
