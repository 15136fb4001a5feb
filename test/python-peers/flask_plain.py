"""A Flask service traced with jaeger_client on its own defaults: the `uber-trace-id` header, no seed settings."""
import peer_common
import seed_tracing
from flask_jaeger_client import serve

if __name__ == '__main__':
    # jaeger_client's defaults but two: without a `sampler`, it would sample 0.1% of new traces until a
    # sampling server answers, and the agent is wherever the test's Jaeger listens. No trace_id_header, so
    # jaeger_client sends and reads its own `uber-trace-id`; no `logging`.
    config = peer_common.seed_readme_config()
    del config['logging']
    serve(seed_tracing.init_plain_tracer, config)
