// Services of a routing-controllers app in front of PostgreSQL, MySQL, Redis and RabbitMQ, each call made inside
// a `@Span` method, as a user writes them. Required only after installAllPatches(), like any app's clients.
import amqp from 'amqplib';
import Redis from 'ioredis';
import knex from 'knex';
import mysqljs from 'mysql';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { Span } from 'jaeger-decorators';
import { servers } from './server-urls';

export const ORDERS_QUEUE = `orders-${process.pid}`;

@Entity({ name: 'products' })
export class Product {
  @PrimaryColumn('int')
  id!: number;

  @Column('text')
  title!: string;
}

export class DataServices {
  readonly pool = new pg.Pool({ connectionString: servers.postgres, max: 2 });
  readonly mysql = mysql.createPool({ uri: servers.mysql, connectionLimit: 2 });
  readonly ioredis = new Redis(servers.redis!, { lazyConnect: true });
  readonly redis = createClient({ url: servers.redis });
  /** knex over MariaDB (its mysql2 driver) and over PostgreSQL (pg). */
  readonly knexMysql = knex({ client: 'mysql2', connection: servers.mysql, pool: { min: 0, max: 2 } });
  readonly knexPg = knex({ client: 'pg', connection: servers.postgres, pool: { min: 0, max: 2 } });
  /** mysqljs's `mysql`, the older driver, over MariaDB. */
  readonly mysqljs = mysqljs.createPool(servers.mysql!);
  readonly orm = new DataSource({ type: 'postgres', url: servers.postgres, entities: [Product], synchronize: true, logging: false });
  private _channel: amqp.Channel | undefined;
  private _connection: amqp.ChannelModel | undefined;

  /** Tables, rows and connections, set up outside any request (so not part of any request's trace). */
  async start(): Promise<void> {
    await this.pool.query('CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY, name text, email text)');
    await this.pool.query("INSERT INTO users VALUES (1, 'Ada', 'ada.secret@example.com') ON CONFLICT DO NOTHING");
    await this.mysql.query('CREATE TABLE IF NOT EXISTS accounts (email varchar(200) PRIMARY KEY, plan text)');
    await this.mysql.query("INSERT IGNORE INTO accounts VALUES ('carol.secret@example.com', 'gold'), ('taken@example.com', 'basic')");
    await this.knexMysql.schema.hasTable('members').then((exists) =>
      exists
        ? undefined
        : this.knexMysql.schema.createTable('members', (table) => {
            table.integer('id').primary();
            table.string('email', 200);
          }),
    );
    await this.knexMysql('members').insert({ id: 1, email: 'first@example.com' }).onConflict('id').ignore();
    await this.ioredis.connect();
    await this.redis.connect();
    await this.orm.initialize();
    await this.orm.getRepository(Product).save({ id: 7, title: 'Teapot' });
    this._connection = await amqp.connect(servers.amqp!);
    this._channel = await this._connection.createChannel();
    await this._channel.assertQueue(ORDERS_QUEUE, { durable: false });
  }

  async stop(): Promise<void> {
    await this._connection?.close();
    await this.orm.destroy();
    await this.redis.quit();
    this.ioredis.disconnect();
    await this.mysql.end();
    await new Promise((resolve) => this.mysqljs.end(resolve));
    await this.knexMysql.destroy();
    await this.knexPg.destroy();
    await this.pool.end();
  }

  @Span('UserRepository.findById')
  async findUser(id: number): Promise<{ id: number; name: string; email: string } | undefined> {
    const result = await this.pool.query('SELECT id, name, email FROM users WHERE id = $1', [id]);
    return result.rows[0];
  }

  @Span('UserRepository.broken')
  async brokenQuery(): Promise<unknown> {
    return this.pool.query('SELECT * FROM no_such_table WHERE id = $1', [1]);
  }

  /** Caches the user's record with ioredis: the cached value holds the e-mail address. */
  @Span('UserCache.remember')
  async rememberUser(user: object & { id: number }): Promise<string | null> {
    await this.ioredis.set(`user:${user.id}`, JSON.stringify(user), 'EX', 60);
    return this.ioredis.get(`user:${user.id}`);
  }

  @Span('AccountRepository.findByEmail')
  async findAccount(email: string): Promise<unknown> {
    const [rows] = await this.mysql.execute('SELECT email, plan FROM accounts WHERE email = ?', [email]);
    return (rows as unknown[])[0];
  }

  /** mysql2: an account added under an address that has one already: the server refuses it. */
  @Span('AccountRepository.add')
  async addAccount(email: string): Promise<unknown> {
    return this.mysql.execute('INSERT INTO accounts VALUES (?, ?)', [email, 'basic']);
  }

  /** knex over MariaDB: a member added under a number that is taken, which the server refuses. */
  @Span('MemberRepository.add')
  async addMember(id: number, email: string): Promise<unknown> {
    return this.knexMysql('members').insert({ id, email });
  }

  /** knex over PostgreSQL: the users whose e-mail address is the one given. */
  @Span('UserRepository.findByEmail')
  async findUsersByEmail(email: string): Promise<unknown[]> {
    return this.knexPg('users').where({ email }).select('id', 'name');
  }

  /** mysqljs over MariaDB, with its callback API. */
  @Span('LegacyAccountRepository.findByEmail')
  async findLegacyAccount(email: string): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.mysqljs.query('SELECT email, plan FROM accounts WHERE email = ?', [email], (error, rows: unknown[]) => (error ? reject(error) : resolve(rows[0]))),
    );
  }

  /** node-redis: a session token stored and read back. */
  @Span('SessionStore.save')
  async saveSession(id: string, token: string): Promise<string | null> {
    await this.redis.set(`session:${id}`, token);
    return this.redis.get(`session:${id}`);
  }

  @Span('ProductRepository.findOne')
  async findProduct(id: number): Promise<Product | null> {
    return this.orm.getRepository(Product).findOneBy({ id });
  }

  /** TypeORM's EntityManager call: its instrumentation records the call's arguments, the entity's values among them. */
  @Span('ProductRepository.save')
  async saveProduct(product: { id: number; title: string }): Promise<Product> {
    return this.orm.getRepository(Product).save(product);
  }

  @Span('OrderPublisher.publish')
  async publishOrder(order: { id: number }): Promise<void> {
    this._channel!.sendToQueue(ORDERS_QUEUE, Buffer.from(JSON.stringify(order)));
  }
}
