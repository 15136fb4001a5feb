// The service method every HTTP benchmark app (Express, Koa) calls from its action, the same body in each.
// jaeger-decorators is loaded only for a traced app, and only when the service is made: the Express app loads
// its modules in order, after OpenTelemetry's instrumentations.

class UserService {
  find(id: number) {
    return { id, name: `user-${id}`, roles: ['reader'] };
  }
}

/** The app's service; `traced`: its method traced with @Span, as a user would. */
export function userService(traced: boolean): UserService {
  if (traced) {
    const { Span } = require('jaeger-decorators') as typeof import('jaeger-decorators');
    const descriptor = Object.getOwnPropertyDescriptor(UserService.prototype, 'find')!;
    Object.defineProperty(UserService.prototype, 'find', Span()(UserService.prototype, 'find', descriptor));
  }
  return new UserService();
}
