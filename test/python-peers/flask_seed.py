"""A Flask service traced the way the seed project's README sets it up: jaeger_client, `trace_id` header."""
import logging

import opentracing
# seed_tracing first: it makes tornado 5 importable on this Python before jaeger_client needs it.
import seed_tracing
from seed_tracing import flask as flask_tracing
from seed_tracing.log_handler import ErrorTraceHandler

from flask import Flask
from opentracing_instrumentation.client_hooks.requests import install_patches

import peer_common
from flask_routes import add_routes

# Before the tracer: its tornado loop (tornado.ioloop.IOLoop.start) calls logging.basicConfig() when the root
# logger has no handler yet, which would make this call do nothing.
logging.basicConfig(level=logging.INFO, format='%(name)s %(levelname)s %(message)s')
logging.getLogger().addHandler(ErrorTraceHandler())

# The README's config, pointed at the test's Jaeger. trace_id_header is left to the seed's default.
trace_config = {
    'sampler': {
        'type': 'const',
        'param': 1,
    },
    'local_agent': {
        'reporting_host': peer_common.AGENT_HOST,
        'reporting_port': peer_common.COMPACT_PORT,
    },
    'logging': True,
}

tracer = seed_tracing.init_tracer(peer_common.SERVICE, trace_config)
# Outgoing `requests` calls get a client span and carry the trace in their headers.
install_patches()

app = Flask(__name__)
flask_tracing.install(app, tracer)
add_routes(app, lambda: seed_tracing.hex_trace_id(opentracing.global_tracer().active_span))

if __name__ == '__main__':
    peer_common.exit_on_sigterm(seed_tracing.close_tracer)
    peer_common.announce_when_listening(peer_common.PORT)
    app.run(host='127.0.0.1', port=peer_common.PORT, threaded=True)
