import { LogErrorsToSpan, Span } from 'jaeger-decorators';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The service every test app calls: `@Span` methods that must nest below the request's server span. */
export class UserService {
  constructor(private readonly maxDelayMs = 0) {}

  private wait() {
    return this.maxDelayMs > 0 ? pause(Math.random() * this.maxDelayMs) : Promise.resolve();
  }

  @Span()
  async find(id: number) {
    await this.wait();
    const profile = await this.profile(id);
    return { id, idType: typeof id, ...profile };
  }

  @Span('users.profile', { tags: { 'db.type': 'sql' } })
  async profile(id: number) {
    await this.wait();
    return { name: `user-${id}` };
  }

  @Span()
  create(name: string) {
    return { id: 99, name };
  }

  @LogErrorsToSpan()
  async load(id: number): Promise<never> {
    await pause(1);
    throw new Error(`cannot load user ${id}`);
  }
}
