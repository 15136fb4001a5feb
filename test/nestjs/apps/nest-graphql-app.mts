// A Nest 12 GraphQL API as a user writes it (code first, Mercurius on Fastify): resolvers with @Span and
// @LogErrorsToSpan, an injected @Span service, a resolver refusing with an HttpException and one failing.
import 'reflect-metadata';
import { Injectable, Module, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Args, Field, GraphQLModule, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LogErrorsToSpan, Span } from 'jaeger-decorators';
import { TracingModule } from 'jaeger-decorators/nestjs';

@ObjectType()
export class User {
  @Field(() => Int)
  id!: number;

  @Field()
  name!: string;
}

@Span()
@Injectable()
export class UsersService {
  async find(id: number): Promise<User | undefined> {
    return id === 1 ? { id, name: 'Ada' } : undefined;
  }
}

@Resolver(() => User)
export class UsersResolver {
  constructor(private readonly users: UsersService) {}

  @Span()
  @Query(() => User)
  async user(@Args('id', { type: () => Int }) id: number): Promise<User> {
    const user = await this.users.find(id);
    if (user === undefined) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  @Query(() => String)
  async directory(): Promise<string> {
    throw new Error('the directory is down');
  }

  @LogErrorsToSpan()
  @Query(() => String)
  async audit(): Promise<string> {
    throw new Error('the audit log is full');
  }

  // A field resolver: its error passes Nest's exception handling only with fieldResolverEnhancers: ['filters'].
  @LogErrorsToSpan()
  @ResolveField(() => String, { nullable: true })
  async avatar(@Parent() user: User): Promise<string> {
    throw new Error(`the avatar store is down for user ${user.id}`);
  }

  @Mutation(() => User)
  async rename(@Args('name') name: string): Promise<User> {
    return { id: 1, name };
  }
}

@Module({
  imports: [
    TracingModule.forRoot({ traceResponseHeader: 'x-trace-id' }),
    GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, autoSchemaFile: true }),
  ],
  providers: [UsersResolver, UsersService],
})
export class GraphqlAppModule {}

export async function startGraphqlApp(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await NestFactory.create(GraphqlAppModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
