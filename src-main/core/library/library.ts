import type { Database, Statement } from 'better-sqlite3';
import type { Resource } from '../../../src-common/contract';
import type { Clock } from '../clock';
import { deleteDownloadedFile } from '../downloaded-file';
import { HaulError } from '../errors';

interface Row {
  id: number;
  job_id: string | null;
  path: string;
  name: string;
  size: number;
  content_type: string | null;
  sha256: string | null;
  source_url: string | null;
  created_at: number;
}

function toResource(row: Row): Resource {
  return {
    id: row.id,
    jobId: row.job_id,
    path: row.path,
    name: row.name,
    size: row.size,
    contentType: row.content_type,
    sha256: row.sha256,
    sourceUrl: row.source_url,
    createdAt: row.created_at,
  };
}

export type NewResource = Omit<Resource, 'id' | 'createdAt'>;

/** Finished files and what is known about them. */
export class Library {
  private readonly statements: Record<'insert' | 'get' | 'move' | 'delete', Statement>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.statements = {
      insert: db.prepare(`
        INSERT INTO resources (job_id, path, name, size, content_type, sha256, source_url, created_at, search)
        VALUES (@jobId, @path, @name, @size, @contentType, @sha256, @sourceUrl, @createdAt, @search)`),
      get: db.prepare(`SELECT * FROM resources WHERE id = ?`),
      move: db.prepare(`UPDATE resources SET path = @path, name = @name, search = @search WHERE id = @id`),
      delete: db.prepare(`DELETE FROM resources WHERE id = ?`),
    };
  }

  add(resource: NewResource): Resource {
    const createdAt = this.clock.now();
    const search = `${resource.name}\n${resource.sourceUrl ?? ''}`.toLowerCase();
    const { lastInsertRowid } = this.statements.insert.run({ ...resource, createdAt, search });
    return { ...resource, id: Number(lastInsertRowid), createdAt };
  }

  get(id: number): Resource {
    const row = this.statements.get.get(id) as Row | undefined;
    if (!row) throw new HaulError('not_found', `No library item with id ${id}.`);
    return toResource(row);
  }

  /** Told of each move `moved` records (the job of the file follows it). */
  onMoved: (resource: Resource) => void = () => undefined;

  /** Records a new location after a plugin or the user moved the file. */
  moved(id: number, path: string, name: string): Resource {
    const current = this.get(id);
    const search = `${name}\n${current.sourceUrl ?? ''}`.toLowerCase();
    this.statements.move.run({ id, path, name, search });
    const resource = { ...current, path, name };
    this.onMoved(resource);
    return resource;
  }

  list(filter: { text?: string; contentType?: string; limit?: number; offset?: number }): {
    resources: Resource[];
    total: number;
  } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.text) {
      where.push('instr(search, @text) > 0');
      params.text = filter.text.toLowerCase();
    }
    if (filter.contentType) {
      where.push('content_type LIKE @type');
      params.type = `${filter.contentType.replace(/[%_]/g, '')}%`;
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM resources ${clause}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM resources ${clause} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: filter.limit ?? 100, offset: filter.offset ?? 0 }) as Row[];
    return { resources: rows.map(toResource), total };
  }

  /** Drops the entry of a file that is gone, if there is one; the file is not touched. */
  forget(id: number): void {
    this.statements.delete.run(id);
  }

  /** Answers why the file was kept, when it was asked to go and did not (see deleteDownloadedFile). */
  async remove(id: number, deleteFile = false): Promise<string | undefined> {
    const resource = this.get(id);
    this.statements.delete.run(id);
    return deleteFile ? await deleteDownloadedFile(resource.path, resource.size) : undefined;
  }
}
