// The node `soap` package (a SOAP toolkit of another stack) calls GetResponse on the emulated
// СМЭВ 3 through the WSDL the emulator serves. The signed MessageTypeSelector's content and the
// ds:Signature come from the C++ test (node-soap knows no GOST); node-soap builds the envelope
// from the WSDL. Prints one JSON line: {"ok": true, "result": …} or {"fault": …}.
'use strict';
const soap = require('soap');

async function main() {
  const [wsdlUrl, argsJson] = process.argv.slice(2);
  const spec = JSON.parse(argsJson);
  const client = await soap.createClientAsync(wsdlUrl, { disableCache: true });
  client.addSoapHeader(' ');  // СМЭВ wants a soap:Header (PoorSOAPEnvelopeFormat otherwise)
  const args = {
    MessageTypeSelector: {
      attributes: { Id: spec.id },
      NamespaceURI: spec.namespaceUri,
      RootElementLocalName: spec.rootElementLocalName,
      Timestamp: spec.timestamp,
    },
    CallerInformationSystemSignature: { $xml: spec.signature },
  };
  try {
    const [result, rawResponse] = await client.GetResponseAsync(args);
    console.log(JSON.stringify({ ok: true, result, empty: !/ResponseMessage/.test(rawResponse), request: client.lastRequest }));
  } catch (err) {
    const body = err.root && err.root.Envelope && err.root.Envelope.Body;
    console.log(JSON.stringify({ fault: body ? body.Fault : String(err), request: client.lastRequest }));
  }
}

main().catch((e) => {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exitCode = 3;
});
