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
   * Tell every listener. Their async work (which never rejects: failures are reported) is added
   * to `work` for a caller that waits for it; without `work` nobody waits.
   */
  tell(news: T, work?: Promise<void>[]): void {
    for (const listener of this.listeners) {
      try {
        const done = listener(news)?.catch(this.failed);
        if (done && work) work.push(done);
      } catch (error) {
        this.failed(error);
      }
    }
  }
}
