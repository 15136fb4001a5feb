"""What every peer service shares, whatever it traces with: its settings, its READY line and its SIGTERM."""
import logging
import os
import signal
import sys
import threading
import time

import requests

PORT = int(os.environ.get('PEER_PORT', '0'))
SERVICE = os.environ.get('PEER_SERVICE', 'python-peer')
AGENT_HOST = os.environ.get('JAEGER_AGENT_HOST', '127.0.0.1')
COMPACT_PORT = int(os.environ.get('JAEGER_COMPACT_PORT', '6831'))
OTLP_TRACES_URL = os.environ.get('OTLP_TRACES_URL', 'http://127.0.0.1:4318/v1/traces')
# The next service of `npm run demo`'s chain, which /chain/, /good/ and /error/ call on.
NEXT_URL = os.environ.get('PEER_NEXT_URL', '')

log = logging.getLogger('python_peer')


def seed_readme_config():
    """The tracer config the seed's README gives, pointed at this test's Jaeger (compact Thrift over UDP)."""
    return {
        'sampler': {
            'type': 'const',
            'param': 1,
        },
        'local_agent': {
            'reporting_host': AGENT_HOST,
            'reporting_port': COMPACT_PORT,
        },
        'logging': True,
    }


def announce_when_listening(port):
    """Prints `READY <port>` once the server answers its /health.

    The dev servers start listening inside a call that never returns (app.run, runserver), so a thread
    watches from outside instead. It asks /health rather than only connecting: another process may have
    taken the port before this server could bind it, and the runner then starts it again elsewhere.
    """
    def watch():
        while True:
            try:
                if requests.get(f'http://127.0.0.1:{port}/health', timeout=0.5).text == 'ok':
                    break
            except requests.RequestException:
                pass
            time.sleep(0.05)
        print(f'READY {port}', flush=True)

    threading.Thread(target=watch, name='announce-ready', daemon=True).start()


def exit_on_sigterm(flush):
    """On SIGTERM, sends the spans still buffered (`flush`), then exits at once.

    os._exit, because the dev servers' request threads and the tracers' reporter threads would otherwise
    keep the process alive or make it wait on them.
    """
    def on_sigterm(_signum, _frame):
        try:
            flush()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)

    signal.signal(signal.SIGTERM, on_sigterm)


_TRACE_HEADERS = ('uber-trace-id', 'trace-id', 'trace_id', 'traceparent', 'tracestate', 'baggage')


def trace_header_names(headers):
    """The trace headers a request arrived with, lower case, as the framework handed them over: what the
    caller sent and the server let through."""
    names = {name.lower() for name in headers.keys()}
    return sorted(name for name in names if name in _TRACE_HEADERS or name.startswith('uberctx-'))


def call_next(url):
    """Calls the next hop; a failing downstream makes this request fail too, as a real caller would."""
    answer = requests.get(url, timeout=10)
    if answer.status_code >= 500:
        raise RuntimeError(f'downstream answered {answer.status_code}')
    try:
        return answer.json()
    except ValueError:
        return {'status': answer.status_code, 'text': answer.text[:200]}


def relay(path):
    """The demo's /chain/, /good/ and /error/: the same path on the next service, or, at the end of the chain, the answer."""
    if NEXT_URL:
        return {'service': SERVICE, 'next': call_next(f'{NEXT_URL}{path}')}
    if path == '/error/':
        fail()
    return {'service': SERVICE}


def fail():
    # Logged first, so the seed's ErrorTraceHandler has an error record to turn into a span.
    log.error('python peer failing on purpose')
    raise ValueError('python peer failure')
