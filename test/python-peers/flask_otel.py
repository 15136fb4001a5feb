"""A Flask service traced with the OpenTelemetry SDK, exporting OTLP over HTTP: a modern Python neighbour."""
from flask import Flask
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.requests import RequestsInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

import peer_common
from flask_routes import add_routes

provider = TracerProvider(resource=Resource.create({'service.name': peer_common.SERVICE}))
# A short delay so a test polling Jaeger sees the spans within a fraction of a second (the default is 5 s).
provider.add_span_processor(
    BatchSpanProcessor(OTLPSpanExporter(endpoint=peer_common.OTLP_TRACES_URL), schedule_delay_millis=200))
trace.set_tracer_provider(provider)
# Default propagators (W3C traceparent/tracestate and baggage), both ways.
RequestsInstrumentor().instrument()

app = Flask(__name__)
# The instrumentation records an exception on the server span and marks it ERROR.
FlaskInstrumentor().instrument_app(app)


def current_trace_id():
    return format(trace.get_current_span().get_span_context().trace_id, '032x')


@app.after_request
def add_trace_id_header(response):
    # Runs for the 500 of a failed request too, while the instrumentation's server span is still current.
    response.headers['x-trace-id'] = current_trace_id()
    return response


add_routes(app, current_trace_id)

if __name__ == '__main__':
    peer_common.exit_on_sigterm(provider.shutdown)
    peer_common.announce_when_listening(peer_common.PORT)
    app.run(host='127.0.0.1', port=peer_common.PORT, threaded=True)
