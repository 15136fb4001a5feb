import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { Span, getActiveSpan, getBaggage, setBaggage, withSpan } from 'jaeger-decorators';
import { DIALECT } from '../support/dialect';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';
import { collectTracingWarnings } from '../support/tracing-warnings';

describe(`@Span tags from the call, followsFrom, baggage (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('tags the span with what a function of the arguments returns', () => {
    class Orders {
      @Span({ tags: (id: string, quantity: number) => ({ 'order.id': id, 'order.quantity': quantity, 'order.rush': quantity > 10 }) })
      place(id: string, quantity: number) {
        return { id, quantity };
      }
    }
    assert.deepEqual(new Orders().place('o-17', 12), { id: 'o-17', quantity: 12 });
    const { tags } = recording.span('Orders.place');
    assert.equal(tags['order.id'], 'o-17');
    assert.equal(tags['order.quantity'], 12);
    assert.equal(tags['order.rush'], true);
  });

  it('tags the span from the result once it settles, sync and async; not when the call fails', async () => {
    class Orders {
      @Span({ resultTags: (order: { status: string }) => ({ 'order.status': order.status }) })
      now() {
        return { status: 'placed' };
      }

      @Span({ resultTags: (order: { status: string }) => ({ 'order.status': order.status }) })
      async later() {
        await delay(5);
        return { status: 'shipped' };
      }

      @Span({ resultTags: () => ({ 'never.set': true }) })
      async fails(): Promise<never> {
        await delay(1);
        throw new RangeError('out of stock');
      }
    }
    const orders = new Orders();
    orders.now();
    assert.deepEqual(await orders.later(), { status: 'shipped' });
    await assert.rejects(orders.fails(), RangeError);
    assert.equal(recording.span('Orders.now').tags['order.status'], 'placed');
    assert.equal(recording.span('Orders.later').tags['order.status'], 'shipped');
    const failed = recording.span('Orders.fails');
    assert.equal(failed.tags.error, true);
    assert.equal('never.set' in failed.tags, false);
  });

  it("a generator method's return value reaches resultTags when its iteration ends", () => {
    class Pages {
      @Span({ tags: (size: number) => ({ 'page.size': size }), resultTags: (total: number) => ({ 'page.total': total }) })
      *pages(size: number) {
        yield size;
        yield size;
        return size * 2;
      }
    }
    assert.deepEqual([...new Pages().pages(25)], [25, 25]);
    const { tags } = recording.span('Pages.pages');
    assert.equal(tags['page.size'], 25);
    assert.equal(tags['page.total'], 50);
  });

  it('computed values are redacted and capped as request data is: secret names, long strings, objects as JSON', () => {
    class Accounts {
      @Span({
        tags: (user: { name: string; password: string }, note: string) => ({
          'user.name': user.name,
          'user.password': user.password,
          api_key: 'k-123',
          accessToken: 't-456',
          'user.newPassword': 'n3w',
          note,
          user,
          count: 10n,
        }),
      })
      login(user: { name: string; password: string }, note: string) {
        return `${user.name}: ${note.length}`;
      }
    }
    assert.equal(new Accounts().login({ name: 'ada', password: 'hunter2' }, 'x'.repeat(5000)), 'ada: 5000');
    const { tags } = recording.span('Accounts.login');
    assert.equal(tags['user.name'], 'ada');
    assert.equal(tags['user.password'], '[REDACTED]');
    assert.equal(tags.api_key, '[REDACTED]');
    assert.equal(tags.accessToken, '[REDACTED]');
    assert.equal(tags['user.newPassword'], '[REDACTED]');
    assert.equal(tags.note, `${'x'.repeat(4096)}… [904 more characters]`);
    // An object is recorded as its JSON; the secret inside it is not a tag name, so the whole object must not
    // be what users tag with: the README says to pick fields. Here it shows the cap and the JSON form.
    assert.equal(tags.user, '{"name":"ada","password":"hunter2"}');
    assert.equal(tags.count, '10');
  });

  it('a tags function that throws is a tracing failure, said once; the call and its result are untouched', async () => {
    const warnings = collectTracingWarnings();
    try {
      class Fragile {
        @Span({
          tags: (input: { id: string } | undefined) => ({ id: input!.id }),
          resultTags: (): Record<string, unknown> => {
            throw new Error('result tags broke');
          },
        })
        run(input: { id: string } | undefined) {
          return input === undefined ? 'none' : input.id;
        }
      }
      const fragile = new Fragile();
      assert.equal(fragile.run(undefined), 'none');
      assert.equal(fragile.run(undefined), 'none');
      assert.equal(recording.spans().length, 2);
      await delay(5);
      const about = warnings.messages.filter((message) => message.includes('Fragile.run'));
      assert.equal(about.length, 2, about.join('\n'));
      assert.match(about[0], /computing the tags of Fragile\.run failed and was skipped: Cannot read properties of undefined/);
      assert.match(about[1], /computing the result tags of Fragile\.run failed and was skipped: result tags broke/);
    } finally {
      warnings.stop();
    }
  });

  it('inside an unsampled trace the tag functions are not called at all', () => {
    let calls = 0;
    class Quiet {
      @Span({
        tags: () => {
          calls += 1;
          return {};
        },
      })
      work() {
        return 1;
      }
    }
    const unsampled = recording.tracer.startSpan('unsampled', { tags: { 'sampling.priority': 0 } });
    withSpan(unsampled, () => new Quiet().work());
    assert.equal(calls, 0);
  });

  it('followsFrom: the span follows from the caller (same trace, FOLLOWS_FROM), so the caller is not stretched', async () => {
    let background: Promise<void> | undefined;
    class Mailer {
      @Span({ followsFrom: true })
      async sendWelcome() {
        await delay(40);
      }
    }
    class Signup {
      @Span()
      register() {
        background = new Mailer().sendWelcome(); // fire and forget
        return 'registered';
      }
    }
    assert.equal(new Signup().register(), 'registered');
    await background;
    const caller = recording.span('Signup.register');
    const work = recording.span('Mailer.sendWelcome');
    assert.equal(work.traceId, caller.traceId);
    assert.deepEqual(work.references, [{ type: 'follows_from', spanId: caller.spanId }]);
    assert.ok(caller.durationMs < 20, `the caller lasted ${caller.durationMs} ms`);
    assert.ok(work.durationMs >= 35, `the work lasted ${work.durationMs} ms`);
  });

  it('a plain @Span stays a child of the active span, with no FOLLOWS_FROM reference', () => {
    class Repo {
      @Span()
      get() {
        return 1;
      }
    }
    const parent = recording.tracer.startSpan('parent');
    withSpan(parent, () => new Repo().get());
    parent.finish();
    const child = recording.span('Repo.get');
    assert.equal(child.parentId, recording.span('parent').spanId);
    assert.equal(
      child.references.some((ref) => ref.type === 'follows_from'),
      false,
    );
  });

  it('setBaggage on the active trace reaches the spans started after it, and the headers of outgoing calls', () => {
    let seenInChild: string | undefined;
    class Billing {
      @Span({ tags: () => ({ tenant: getBaggage('tenant') }) })
      charge() {
        seenInChild = getBaggage('Tenant');
        const headers: Record<string, string> = {};
        recording.tracer.inject(getActiveSpan()!.context(), FORMAT_HTTP_HEADERS, headers);
        return headers;
      }
    }
    const edge = recording.tracer.startSpan('edge');
    const headers = withSpan(edge, () => {
      assert.equal(getBaggage('tenant'), undefined);
      assert.equal(setBaggage('tenant', 'acme'), true);
      assert.equal(setBaggage('user_id', '42'), true);
      return new Billing().charge();
    });
    edge.finish();
    assert.equal(seenInChild, 'acme');
    assert.equal(recording.span('Billing.charge').tags.tenant, 'acme');
    assert.equal(headers['uberctx-tenant'], 'acme');
    assert.equal(headers['uberctx-user-id'], '42');
  });

  it('without an active span, getBaggage gives undefined and setBaggage sets nothing; bad keys and values are named', () => {
    assert.equal(getBaggage('tenant'), undefined);
    assert.equal(setBaggage('tenant', 'acme'), false);
    assert.throws(() => setBaggage('bad key', 'x'), /setBaggage\(\): the key must be a non-empty HTTP token .*"bad key"/);
    assert.throws(() => setBaggage('', 'x'), /setBaggage\(\): the key must be a non-empty HTTP token/);
    assert.throws(() => setBaggage('tenant', 42 as unknown as string), /setBaggage\('tenant'\): the value must be a string, got number/);
  });

  it('baggage is bounded: a value is cut at 2048 characters, and an item past 8192 characters in all is refused once, said', async () => {
    const warnings = collectTracingWarnings();
    try {
      const span = recording.tracer.startSpan('edge');
      withSpan(span, () => {
        assert.equal(setBaggage('long', 'v'.repeat(3000)), true);
        assert.equal(getBaggage('long')!.length, 2048);
        for (let i = 0; i < 3; i += 1) assert.equal(setBaggage(`part${i}`, 'p'.repeat(2000)), true);
        assert.equal(setBaggage('one-more', 'p'.repeat(2000)), false);
        assert.equal(getBaggage('one-more'), undefined);
      });
      span.finish();
      await delay(5);
      assert.equal(warnings.messages.filter((message) => message.includes('baggage')).length, 1, warnings.messages.join('\n'));
      assert.match(
        warnings.messages.find((message) => message.includes('baggage'))!,
        /setBaggage\('one-more'\) was refused: the trace's baggage would hold \d+ characters, more than 8192/,
      );
    } finally {
      warnings.stop();
    }
  });

  it('rejects option values of the wrong kind, naming them', () => {
    assert.throws(() => Span({ resultTags: 'status' as unknown as () => Record<string, unknown> }), /option resultTags must be a function/);
    assert.throws(() => Span({ followsFrom: 'yes' as unknown as boolean }), /option followsFrom must be true or false/);
    assert.throws(() => Span({ tags: 'x' as unknown as Record<string, string> }), /option tags must be an object .* or a function/);
  });
});
