/** What `tell` returns when no listener had async work: no promise made per event. */
const settled = Promise.resolve();

/**
 * Listeners of one kind of news. A listener that throws or rejects is reported through
 * `failed` and does not keep the news from the others, nor stop the reader that tells it.
 */
export class Listeners<T> {
  private readonly listeners: ((news: T) => void | Promise<void>)[] = [];

  constructor(private readonly failed: (error: unknown) => void) {}

  add(listener: (news: T) => void | Promise<void>): void {
    this.listeners.push(listener);
  }

  /**
   * Tell every listener. The promise resolves when their async work is done and never rejects,
   * so a caller that need not wait can leave it with `void`.
   */
  tell(news: T): Promise<void> {
    const work: Promise<void>[] = [];
    for (const listener of this.listeners) {
      try {
        const done = listener(news);
        if (done) work.push(done.catch(this.failed));
      } catch (error) {
        this.failed(error);
      }
    }
    return work.length === 0 ? settled : Promise.all(work).then(() => undefined);
  }
}
