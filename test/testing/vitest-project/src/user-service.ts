import { Span } from 'jaeger-decorators';

export class UserService {
  @Span('users.find', { tags: { 'db.type': 'sql' } })
  async find(id: number) {
    if (id < 1) throw new Error(`no user ${id}`);
    return { id };
  }

  @Span()
  async remindLater(id: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    return id;
  }
}
