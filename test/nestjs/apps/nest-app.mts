// A Nest 12 app as a user writes it (Nest 12 is ESM only, so this file is an ES module): a controller whose
// methods carry @Span/@LogErrorsToSpan beside Nest's own decorators, in both orders, an @Span service injected
// through the constructor, a global ValidationPipe, a guard that refuses, a guard that reads handler metadata.
import 'reflect-metadata';
import {
  BadRequestException,
  Body,
  Catch,
  CanActivate,
  Controller,
  ExecutionContext,
  ForbiddenException,
  Get,
  HttpCode,
  Injectable,
  Module,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Query,
  SetMetadata,
  Sse,
  StreamableFile,
  UnauthorizedException,
  UseFilters,
  UseGuards,
  ValidationPipe,
  Headers,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { NestFactory, Reflector } from '@nestjs/core';
import { concat, map, of, timer, type Observable } from 'rxjs';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiProperty, ApiTags, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { IsEmail, IsString, MinLength } from 'class-validator';
import { getActiveSpan, LogErrorsToSpan, Span, SpanTag, type ServerTracingOptions } from 'jaeger-decorators';
import { TracingModule } from 'jaeger-decorators/nestjs';

export class CreateUserDto {
  @ApiProperty()
  @IsString()
  @MinLength(2)
  name!: string;

  @ApiProperty()
  @IsEmail()
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(12, { message: 'password $value is too short' })
  password!: string;
}

@Span()
@Injectable()
export class UsersService {
  private readonly users = new Map<number, { id: number; name: string }>([[1, { id: 1, name: 'Ada' }]]);

  async find(id: number): Promise<{ id: number; name: string } | undefined> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return this.users.get(id);
  }
}

/** A payment gateway that times out: its failure logged on the request's span (no @Span of its own). */
@Injectable()
export class PaymentsService {
  @LogErrorsToSpan()
  async charge(): Promise<never> {
    throw new Error('payment gateway timed out');
  }
}

const ROLE = 'role';

/** Lets a request through when the handler's role metadata says `open`: reads what SetMetadata put on the handler. */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    return this.reflector.get<string>(ROLE, context.getHandler()) === 'open';
  }
}

@Injectable()
export class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** A domain error of the app's own, which its filter answers with a 404. */
export class UserMissing extends Error {
  override name = 'UserMissing';
}

/** Answers `status` with an empty JSON body, on Express's response or Fastify's reply alike. */
function answer(host: ArgumentsHost, status: number): void {
  const response = host.switchToHttp().getResponse<{ status(code: number): { send(body: string): unknown } }>();
  response.status(status).send('{}');
}

@Catch(UserMissing)
export class UserMissingFilter implements ExceptionFilter {
  catch(_error: UserMissing, host: ArgumentsHost): void {
    answer(host, 404);
  }
}

/** A failure the app answers with a success (a cold cache served from elsewhere): an expected error. */
export class SoftFailure extends Error {
  override name = 'SoftFailure';
}

@Catch(SoftFailure)
export class SoftFailureFilter implements ExceptionFilter {
  catch(_error: SoftFailure, host: ArgumentsHost): void {
    answer(host, 200);
  }
}

/** Turns a refusal into an outage: a 400 the handler throws goes out as a 503. */
@Catch(BadRequestException)
export class OutageFilter implements ExceptionFilter {
  catch(_error: BadRequestException, host: ArgumentsHost): void {
    answer(host, 503);
  }
}

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly payments: PaymentsService,
  ) {}

  @Get(':id')
  @Span('UsersController.lookup')
  @ApiOkResponse({ description: 'the user' })
  async getOne(@SpanTag('user.id') @Param('id', ParseIntPipe) id: number): Promise<{ id: number; name: string; idType: string; active: boolean }> {
    const user = await this.users.find(id);
    if (user === undefined) throw new NotFoundException(`user ${id} not found`);
    return { ...user, idType: typeof id, active: getActiveSpan() !== undefined };
  }

  @Get(':id/fail')
  fail(@Param('id') id: string): never {
    throw new Error(`cannot load user ${id}`);
  }

  @LogErrorsToSpan()
  @Get(':id/fail-logged')
  failLogged(@Param('id') id: string): Promise<never> {
    return Promise.reject(new Error(`cannot save user ${id}`));
  }

  @Get(':id/missing')
  @LogErrorsToSpan()
  missing(@Param('id') id: string): never {
    throw new NotFoundException(`user ${id} is gone`);
  }

  @Post()
  @HttpCode(201)
  @Span()
  create(@Body() dto: CreateUserDto): { created: string; dtoClass: string } {
    return { created: dto.name, dtoClass: dto.constructor.name };
  }

  @Get(':id/admin')
  @UseGuards(DenyGuard)
  admin(): string {
    return 'never';
  }

  @Span()
  @SetMetadata(ROLE, 'open')
  @UseGuards(RoleGuard)
  @Get(':id/open')
  open(): { open: boolean } {
    return { open: true };
  }

  // A downstream call's error carries that call's status (an AxiosError from a 404): Nest answers it with 500.
  @LogErrorsToSpan()
  @Get(':id/downstream')
  downstream(@Param('id') id: string): never {
    throw Object.assign(new Error(`GET /profiles/${id} answered 404`), { status: 404 });
  }

  @Get(':id/domain')
  @UseFilters(new UserMissingFilter())
  domain(@Param('id') id: string): never {
    throw new UserMissing(`user ${id} is not in the directory`);
  }

  // With @LogErrorsToSpan on the handler the status the filter answers with decides all the same.
  @LogErrorsToSpan()
  @Get(':id/domain-logged')
  @UseFilters(new UserMissingFilter())
  domainLogged(@Param('id') id: string): never {
    throw new UserMissing(`user ${id} is not in the directory`);
  }

  @LogErrorsToSpan()
  @Get(':id/soft-logged')
  @UseFilters(new SoftFailureFilter())
  softLogged(): never {
    throw new SoftFailure('the cache is cold');
  }

  // The handler catches what the service logged and answers with a fallback: no filter sees the error.
  @Get(':id/charge')
  async charge(): Promise<{ charged: boolean; queued: boolean }> {
    try {
      return await this.payments.charge();
    } catch {
      return { charged: false, queued: true };
    }
  }

  @Get(':id/outage')
  @UseFilters(new OutageFilter())
  outage(): never {
    throw new BadRequestException('the directory is read-only');
  }

  // An app that quotes what it refused: the query's secret values (one given twice) and the caller's token.
  @Get(':id/refuse')
  refuse(@Query('password') password: string | string[], @Headers('authorization') authorization: string): never {
    throw new UnauthorizedException(`wrong password ${String(password)} for ${authorization}`);
  }

  @Get(':id/forbidden')
  forbidden(): never {
    throw new ForbiddenException('only admins may look');
  }

  // A file streamed from a source that fails once its first rows are out (a lost database connection).
  @Get(':id/export')
  export(): StreamableFile {
    const source = new Readable({ read() {} });
    source.push('id,name\n1,Ada\n');
    setTimeout(() => source.destroy(new Error('the export lost its database connection')), 50);
    return new StreamableFile(source, { type: 'text/csv' });
  }

  // A file sent whole whose source fails as it closes, after its end: nothing the client misses.
  @Get(':id/export-closing')
  exportClosing(): StreamableFile {
    const source = new Readable({
      read() {
        this.push('id,name\n1,Ada\n');
        this.push(null);
      },
      destroy(_error, callback) {
        callback(new Error('the export file failed to close'));
      },
    });
    return new StreamableFile(source, { type: 'text/csv' });
  }

  // A file that is not there: its stream fails before anything is sent.
  @Get(':id/export-missing')
  exportMissing(): StreamableFile {
    return new StreamableFile(createReadStream('/nonexistent/users-export.csv'));
  }

  // Server-sent events whose source fails after the first: Nest sends an `error` event and ends the 200.
  @Sse(':id/feed')
  @Span()
  feed(): Observable<{ data: string }> {
    const failing = timer(50).pipe(
      map((): { data: string } => {
        throw new Error('the feed lost its source');
      }),
    );
    return concat(of({ data: 'first' }), failing);
  }

  @Get(':id/members')
  members(): { members: string[] } {
    return { members: ['ada'] };
  }
}

/**
 * An app's own middleware, as an auth middleware is written: it says whether it ran inside the request's span (a
 * header the test reads), and answers 401 itself, before any route, to a request without a key.
 */
@Injectable()
export class MembersOnly implements NestMiddleware {
  use(
    req: { headers: Record<string, unknown> },
    res: { statusCode: number; setHeader(name: string, value: string): void; end(body: string): void },
    next: () => void,
  ): void {
    res.setHeader('x-middleware-traced', getActiveSpan() === undefined ? 'no' : 'yes');
    if (req.headers['x-member-key'] !== undefined) return next();
    res.statusCode = 401;
    res.end('{"message":"members only"}');
  }
}

export function appModule(options?: ServerTracingOptions): new () => unknown {
  @Module({ imports: [TracingModule.forRoot(options)], controllers: [UsersController], providers: [UsersService, PaymentsService, RoleGuard, DenyGuard] })
  class AppModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(MembersOnly).forRoutes('users/:id/members');
    }
  }
  return AppModule;
}

export interface RunningNestApp {
  url: string;
  close(): Promise<void>;
}

/** Starts the app on a free port of 127.0.0.1, on Nest's Express or Fastify adapter. */
export async function startNestApp(
  adapter: 'express' | 'fastify',
  options: ServerTracingOptions = { traceResponseHeader: 'x-trace-id' },
): Promise<RunningNestApp> {
  const app: INestApplication = await NestFactory.create(appModule(options), adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), {
    logger: false,
  });
  app.useGlobalPipes(new ValidationPipe({ transform: true }));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** The Swagger document Nest's OpenAPI module builds from the decorated controller. */
export async function swaggerDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(appModule(), new ExpressAdapter(), { logger: false });
  await app.init();
  try {
    return SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('users').build());
  } finally {
    await app.close();
  }
}

/** The app as Nest's testing module builds it (`Test.createTestingModule`), on Express, listening like startNestApp. */
export async function startTestingModuleApp(): Promise<RunningNestApp> {
  const { Test } = await import('@nestjs/testing');
  const moduleRef = await Test.createTestingModule({ imports: [appModule({ traceResponseHeader: 'x-trace-id' })] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalPipes(new ValidationPipe({ transform: true }));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** An application context (no HTTP server), as a CLI or a worker builds one, with the tracing module imported. */
export async function applicationContextStarts(): Promise<boolean> {
  const context = await NestFactory.createApplicationContext(appModule(), { logger: false });
  await context.close();
  return true;
}
