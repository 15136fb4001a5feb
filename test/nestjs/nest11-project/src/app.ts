// A Nest 11 app as Nest's documentation writes it, on Express 5: a REST controller behind a middleware that may
// refuse a request, and a code-first Apollo GraphQL API, with TracingModule.forRoot() and a test tracer.
import 'reflect-metadata';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Injectable,
  Module,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Args, Field, GraphQLModule, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Span } from 'jaeger-decorators';
import { TracingModule } from 'jaeger-decorators/nestjs';

@ObjectType()
export class User {
  @Field(() => Int) id!: number;
  @Field() name!: string;
}

@Injectable()
export class UsersService {
  @Span()
  async find(id: number): Promise<User | undefined> {
    return id === 1 ? { id, name: 'Ada' } : undefined;
  }
}

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get(':id')
  async one(@Param('id', ParseIntPipe) id: number): Promise<User> {
    const user = await this.users.find(id);
    if (user === undefined) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  @Post()
  create(@Body() body: { name: string }): User {
    return { id: 2, name: body.name };
  }

  // Declared before the parameter route it also matches: Express routes /users/bulk here.
  @Post('bulk')
  createMany(@Body() body: Array<{ name: string }>): User[] {
    return body.map((user, i) => ({ id: 10 + i, name: user.name }));
  }

  @Post(':id')
  replace(@Param('id', ParseIntPipe) id: number, @Body() body: { name: string }): User {
    return { id, name: body.name };
  }
}

@Resolver(() => User)
export class UsersResolver {
  constructor(private readonly users: UsersService) {}

  @Query(() => User)
  async user(@Args('id', { type: () => Int }) id: number): Promise<User> {
    const user = await this.users.find(id);
    if (user === undefined) throw new NotFoundException(`user ${id} not found`);
    return user;
  }
}

/** Refuses a request that asks to be blocked, before Nest routes it. */
@Injectable()
export class BlockingMiddleware implements NestMiddleware {
  use(req: { headers: Record<string, unknown> }, _res: unknown, next: () => void): void {
    if (req.headers['x-block'] === 'yes') throw new ForbiddenException('blocked by middleware');
    next();
  }
}

@Module({
  imports: [
    TracingModule.forRoot({ traceResponseHeader: 'x-trace-id' }),
    GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true, playground: false }),
  ],
  controllers: [UsersController],
  providers: [UsersService, UsersResolver],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BlockingMiddleware).forRoutes(UsersController);
  }
}

export async function startApp(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { url: await app.getUrl(), close: () => app.close() };
}
