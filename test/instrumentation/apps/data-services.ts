// Services of a routing-controllers app in front of PostgreSQL, MySQL, Redis and RabbitMQ, each call made inside
// a `@Span` method, as a user writes them. Required only after installAllPatches(), like any app's clients.
import amqp from 'amqplib';
import Redis from 'ioredis';
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
  readonly orm = new DataSource({ type: 'postgres', url: servers.postgres, entities: [Product], synchronize: true, logging: false });
  private _channel: amqp.Channel | undefined;
  private _connection: amqp.ChannelModel | undefined;

  /** Tables, rows and connections, set up outside any request (so not part of any request's trace). */
  async start(): Promise<void> {
    await this.pool.query('CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY, name text, email text)');
    await this.pool.query("INSERT INTO users VALUES (1, 'Ada', 'ada.secret@example.com') ON CONFLICT DO NOTHING");
    await this.mysql.query('CREATE TABLE IF NOT EXISTS accounts (email varchar(200) PRIMARY KEY, plan text)');
    await this.mysql.query("INSERT IGNORE INTO accounts VALUES ('carol.secret@example.com', 'gold'), ('taken@example.com', 'basic')");
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
