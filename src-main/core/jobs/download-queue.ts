/** Where a pending download stands in the queue: what orders it. */
interface Place {
  id: string;
  priority: number;
  position: number;
}

/** Downloads start by priority (higher first), then queue position (smaller first). */
function runsBefore(a: Omit<Place, 'id'>, b: Omit<Place, 'id'>): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.position < b.position);
}

const order = (a: Place, b: Place): number => b.priority - a.priority || a.position - b.position;

/** Stale places tolerated before the list is rebuilt, beyond half of it. */
const staleSlack = 64;

/**
 * The pending downloads in the order they start, so that picking the next few never
 * walks or sorts the whole queue (a submit of 10,000 URLs would otherwise cost a walk of
 * the rest at every start). Jobs submitted after the others go to the end in order; a
 * job that leaves the queue is skipped and dropped later; only a change of order (a
 * priority, a move, an older job resumed) sorts the list again, once, at the next read.
 */
export class DownloadQueue {
  private places: Place[] = [];
  /** Places before this index are gone for good. */
  private head = 0;
  private sorted = true;
  /** Places in the list that are no longer a job's current one. */
  private stale = 0;
  private readonly current = new Map<string, Place>();

  get size(): number {
    return this.current.size;
  }

  /** The download is pending with this priority and position (again, after a move). */
  set(id: string, priority: number, position: number): void {
    const was = this.current.get(id);
    if (was && was.priority === priority && was.position === position) return;
    if (was) this.stale += 1;
    const place = { id, priority, position };
    this.current.set(id, place);
    const last = this.places.length > this.head ? this.places[this.places.length - 1] : undefined;
    if (last && runsBefore(place, last)) this.sorted = false;
    this.places.push(place);
  }

  /** The download is not pending any more. */
  delete(id: string): void {
    if (this.current.delete(id)) this.stale += 1;
  }

  /** Ids in start order. Stop early at will; change the queue only after. */
  *ids(): Generator<string> {
    if (!this.sorted || this.stale > (this.places.length - this.head) / 2 + staleSlack) this.rebuild();
    for (let i = this.head; i < this.places.length; i += 1) {
      const place = this.places[i]!;
      if (this.current.get(place.id) === place) {
        yield place.id;
      } else if (i === this.head) {
        this.head += 1;
        this.stale -= 1;
      }
    }
  }

  private rebuild(): void {
    this.places = [...this.current.values()].sort(order);
    this.head = 0;
    this.stale = 0;
    this.sorted = true;
  }
}
