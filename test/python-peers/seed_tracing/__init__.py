"""A small tracing helper in the style of the seed project (jaeger_flask_django's `tracing` package).

Written for the end-to-end tests: Python peers that report to Jaeger with Python jaeger_client exactly as
a user of the seed would, so the tests can check that Node services and these end up in one trace.
"""
import collections
import collections.abc

# tornado 5.1.1 (which jaeger_client reports through, and which opentracing_instrumentation pins below 6)
# subclasses `collections.MutableMapping`, an alias Python 3.10 removed. Restore the aliases before
# tornado is first imported, or `import jaeger_client` fails with AttributeError. Only MutableMapping is
# used today by tornado, jaeger_client, threadloop and opentracing_instrumentation; the others are cheap
# insurance for code paths the tests have not reached.
for _name in ('MutableMapping', 'Mapping', 'MutableSet', 'MutableSequence', 'Sequence', 'Callable', 'Iterable'):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

import os  # noqa: E402
import time  # noqa: E402

import opentracing  # noqa: E402
from opentracing.ext import tags  # noqa: E402
from jaeger_client import Config  # noqa: E402

# The seed's choice: carry the trace in a `trace_id` header rather than jaeger's `uber-trace-id`.
# jaeger_client turns '_' into '-' in this name, so on the wire it is `trace-id` both ways.
DEFAULT_TRACE_ID_HEADER = 'trace_id'

# Tag and log keys the seed adds to opentracing's standard ones.
TAG_TRACE_ID = 'trace_id'
TAG_LOGGER = 'logger'
SPAN_KIND_LOG = 'log'
EVENT_LOG_ERROR = 'log.error'

_tracer = None


def init_tracer(service_name, config):
    """Creates the process's jaeger_client tracer from a seed-style config dict and makes it the global one.

    Like the seed, `trace_id_header` defaults to 'trace_id' unless the config names one.
    """
    config = dict(config)
    config.setdefault('trace_id_header', DEFAULT_TRACE_ID_HEADER)
    return _start_tracer(service_name, config)


def init_plain_tracer(service_name, config):
    """The same, on jaeger_client's own propagation (`uber-trace-id`): what a service without the seed uses."""
    return _start_tracer(service_name, dict(config))


def _start_tracer(service_name, config):
    global _tracer
    settings = Config(config=config, service_name=service_name, validate=True)
    sink = os.environ.get('DEMO_SPAN_SINK')
    if sink:
        # `npm run demo` without a Jaeger: the spans go to the demo instead of an agent.
        from .span_sink_reporter import SpanSinkReporter
        _tracer = settings.create_tracer(reporter=SpanSinkReporter(sink, service_name), sampler=settings.sampler)
        opentracing.set_global_tracer(_tracer)
    else:
        _tracer = settings.initialize_tracer()
    return _tracer


def close_tracer(timeout=3.0):
    """Flushes the spans still queued for the agent, waiting at most `timeout` seconds."""
    if _tracer is None:
        return
    _tracer.sampler.close()
    # Each reporter is closed on its own rather than through tracer.close(): with `logging: True` the
    # tracer's reporter is a CompositeReporter whose close() future completes through an asyncio callback on
    # this thread's loop, which never runs here. The UDP reporter's future is completed by its own tornado
    # thread, so polling it works.
    reporters = getattr(_tracer.reporter, 'reporters', [_tracer.reporter])
    pending = [reporter.close() for reporter in reporters]
    deadline = time.monotonic() + timeout
    while not all(done.done() for done in pending) and time.monotonic() < deadline:
        time.sleep(0.02)


def hex_trace_id(span):
    """The trace id as the seed tags it: lower-case hex without leading zeros."""
    return '{:x}'.format(span.trace_id)


def extract_context(tracer, headers):
    """The incoming span context, or None when the request carries none or a malformed one."""
    try:
        return tracer.extract(opentracing.Format.HTTP_HEADERS, headers)
    except (opentracing.InvalidCarrierException, opentracing.SpanContextCorruptedException):
        return None


def log_error(span, error, request_headers, request_args, request_data):
    """Marks the span failed and logs the error the way the seed does, so Jaeger shows what broke and on what input."""
    span.set_tag(tags.ERROR, True)
    span.log_kv({
        'event': 'error',
        'error.kind': type(error).__name__,
        'error.object': error,
        # jaeger_client formats a traceback object into text itself.
        'error.stack': error.__traceback__,
        'request.headers': request_headers,
        'request.args': request_args,
        'request.data': request_data,
    })
