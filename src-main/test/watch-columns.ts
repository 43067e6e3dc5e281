import type { Database } from 'better-sqlite3';

/** Records, per UPDATE, whether it named the status and the queue columns (as SQLite sees it). */
export function watchColumns(db: Database): () => string[] {
  db.exec(`
    CREATE TEMP TABLE seen (what TEXT);
    CREATE TEMP TRIGGER seen_status AFTER UPDATE OF status ON jobs BEGIN INSERT INTO seen VALUES ('status'); END;
    CREATE TEMP TRIGGER seen_position AFTER UPDATE OF position, priority ON jobs BEGIN INSERT INTO seen VALUES ('queue'); END;
    CREATE TEMP TRIGGER seen_data AFTER UPDATE OF data ON jobs BEGIN INSERT INTO seen VALUES ('data'); END;
  `);
  return () => {
    const rows = db.prepare<[], { what: string }>(`SELECT what FROM seen`).all();
    db.exec(`DELETE FROM seen`);
    return rows.map((r) => r.what);
  };
}
