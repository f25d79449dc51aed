// The hand-written half of the corpus and the envelope around it. See own_schema_corpus.hpp.
#include "tests/unit/protocol/own_schema_corpus.hpp"

#include <string>
#include <vector>

namespace gosdoki::testkit::own_schema {

namespace s3 = gosdoki::smev3;
using s3::Version;

namespace {

constexpr const char* kSig = "<ds:Signature><ds:SignedInfo/><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string metadata(bool shape_1_1) {
  std::string md =
      "<t:MessageMetadata><t:MessageId>{MID}</t:MessageId><t:MessageType>REQUEST</t:MessageType>"
      "<t:Sender><t:Mnemonic>ORG01</t:Mnemonic><t:HumanReadableName>ИС</t:HumanReadableName></t:Sender>"
      "<t:SendingTimestamp>2024-05-01T10:00:00+03:00</t:SendingTimestamp>";
  if (shape_1_1) md += "<t:MessageBroker>b</t:MessageBroker><t:DestinationName>unknown</t:DestinationName>";
  md += "<t:Recipient><t:Mnemonic>PROV01</t:Mnemonic><t:HumanReadableName>П</t:HumanReadableName></t:Recipient>";
  if (shape_1_1) {
    md +=
        "<t:SupplementaryData><t:DetectedContentTypeName>not detected</t:DetectedContentTypeName>"
        "<t:InteractionType>NotDetected</t:InteractionType></t:SupplementaryData>";
  }
  return md + "<t:Status>requestIsQueued</t:Status></t:MessageMetadata>";
}

std::string spd(const std::string& inner) {
  return "<t:SendRequestRequest><t:SenderProvidedRequestData Id=\"SPD\">" + inner +
         "</t:SenderProvidedRequestData><t:CallerInformationSystemSignature>{SIG}</t:CallerInformationSystemSignature>"
         "</t:SendRequestRequest>";
}
std::string sprd(const std::string& inner) {
  return "<t:SendResponseRequest><t:SenderProvidedResponseData "
         "Id=\"P\"><t:MessageID>{MID}</t:MessageID><t:To>r</t:To>" +
         inner + "</t:SenderProvidedResponseData></t:SendResponseRequest>";
}
std::string async(const std::string& inner) {
  return sprd(
      "<t:AsyncProcessingStatus><t:OriginalMessageId>{MID}</t:OriginalMessageId>"
      "<t:StatusCategory>requestIsRejectedBySmev</t:StatusCategory>" +
      inner + "</t:AsyncProcessingStatus>");
}
std::string request(const std::string& tail) {
  return "<t:GetRequestResponse><t:RequestMessage><t:Request Id=\"S\"><t:SenderProvidedRequestData Id=\"SPD\">"
         "<t:MessageID>{MID}</t:MessageID>{C}</t:SenderProvidedRequestData>{MD}" +
         tail + "</t:Request><t:SMEVSignature>{SIG}</t:SMEVSignature></t:RequestMessage></t:GetRequestResponse>";
}
std::string hdr(const std::string& inner) {
  return spd("<t:MessageID>{MID}</t:MessageID>{C}<b:AttachmentHeaderList><b:AttachmentHeader>" + inner +
             "</b:AttachmentHeader></b:AttachmentHeaderList>");
}
const std::string kNode50(50, 'n');

}  // namespace

std::string envelope(Version v, const std::string& body) {
  const std::string base = "urn://x-artefacts-smev-gov-ru/services/message-exchange/types/";
  std::string V = s3::version_name(v);
  std::string b = replace_all(body, "{MD11}", metadata(true));
  b = replace_all(b, "{MD}", metadata(v == Version::v1_1));
  b = replace_all(b, "{C}", "<b:MessagePrimaryContent><q:Check><q:Code>1</q:Code></q:Check></b:MessagePrimaryContent>");
  b = replace_all(b, "{SIG}", kSig);
  b = replace_all(b, "{MID}", kMid);
  b = replace_all(b, "{V}", V);
  return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:t=\"" + base + V +
         "\" xmlns:b=\"" + base + "basic/" + V + "\" xmlns:f=\"" + base + "faults/" + V + "\" xmlns:r=\"" + base +
         "routing/" + V + "\" xmlns:d=\"" + base + "directive/" + V +
         "\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
         " xmlns:q=\"urn://example/check/1.0\"><soap:Header/><soap:Body>" +
         b + "</soap:Body></soap:Envelope>";
}

std::string fault(const std::string& detail) {
  return "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>x</faultstring><detail>" + detail +
         "</detail></soap:Fault>";
}

std::vector<Doc> handwritten() {
  const std::string ok = "<t:MessageID>{MID}</t:MessageID>{C}";
  const std::string sel = "<b:Timestamp>2024-05-01T10:00:00+03:00</b:Timestamp>";
  return {
      {"SendRequest minimal", spd(ok), "vvv"},
      {"SendRequest all optional parts",
       spd("<t:MessageID>{MID}</t:MessageID><t:ReferenceMessageID>{MID}</t:ReferenceMessageID><t:TransactionCode>tc"
           "</t:TransactionCode><t:NodeID>" +
           kNode50 +
           "</t:NodeID><t:EOL>2024-05-02T10:00:00Z</t:EOL>{C}"
           "<t:PersonalSignature>{SIG}</t:PersonalSignature><b:RefAttachmentHeaderList><b:RefAttachmentHeader>"
           "<b:uuid>u</b:uuid><b:Hash>h</b:Hash><b:MimeType>application/pdf</b:MimeType></b:RefAttachmentHeader>"
           "</b:RefAttachmentHeaderList><t:BusinessProcessMetadata><q:Step/><q:Step/></t:BusinessProcessMetadata>"
           "<t:TestMessage/>"),
       "vvv"},
      {"SendRequest without MessageID", spd("{C}"), "iii"},
      {"SendRequest NodeID before TransactionCode (order)",
       spd("<t:MessageID>{MID}</t:MessageID><t:NodeID>n</t:NodeID><t:TransactionCode>t</t:TransactionCode>{C}"), "iii"},
      {"SendRequest MessageID upper-case", spd("<t:MessageID>1F2E3D4C-5B6A-11EE-8C99-0242AC120002</t:MessageID>{C}"),
       "iii"},
      {"SendRequest MessageID not a UUID", spd("<t:MessageID>12345</t:MessageID>{C}"), "iii"},
      {"SendRequest NodeID of 51 characters",
       spd("<t:MessageID>{MID}</t:MessageID><t:NodeID>" + kNode50 + "x</t:NodeID>{C}"), "iii"},
      {"SendRequest TransactionCode of 1501 characters",
       spd("<t:MessageID>{MID}</t:MessageID><t:TransactionCode>" + std::string(1501, 'c') + "</t:TransactionCode>{C}"),
       "iii"},
      {"SendRequest EOL not a dateTime", spd("<t:MessageID>{MID}</t:MessageID><t:EOL>tomorrow</t:EOL>{C}"), "iii"},
      {"SendRequest unknown element at the end", spd(ok + "<t:Extra/>"), "iii"},
      {"SendRequest MessageID in the basic namespace", spd("<b:MessageID>{MID}</b:MessageID>{C}"), "iii"},
      {"SendRequest text in element content", spd(ok + "junk"), "iii"},
      {"SendRequest Id not an NCName", replace_all(spd(ok), "Id=\"SPD\"", "Id=\"1st\""), "iii"},
      {"SendRequest unknown attribute", replace_all(spd(ok), "Id=\"SPD\"", "Id=\"SPD\" foo=\"1\""), "iii"},
      {"SendRequest TestMessage with text", spd(ok + "<t:TestMessage>yes</t:TestMessage>"), "iii"},
      {"SendRequest root from another version",
       replace_all(
           spd(ok), "<t:SendRequestRequest>",
           "<t:SendRequestRequest xmlns:t=\"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/0.9\">"),
       "iii"},
      {"SendRequest with Routing (1.3 only)",
       replace_all(spd(ok), "</t:SendRequestRequest>",
                   "<r:Routing><r:RoutingInformation><r:MessageID>{MID}</r:MessageID><r:DynamicRouting><r:DynamicValue>"
                   "77</r:DynamicValue></r:DynamicRouting></r:RoutingInformation><r:RoutingSignature>{SIG}"
                   "</r:RoutingSignature></r:Routing></t:SendRequestRequest>"),
       "iiv"},
      {"SendRequest Routing without signature",
       replace_all(
           spd(ok), "</t:SendRequestRequest>",
           "<r:Routing><r:RoutingInformation><r:MessageID>{MID}</r:MessageID></r:RoutingInformation></r:Routing>"
           "</t:SendRequestRequest>"),
       "iii"},
      {"two Id attributes with the same value", request("<t:ReplyTo>r</t:ReplyTo>"), "iii", "<t:MessageMetadata>",
       "<t:MessageMetadata Id=\"S\">"},
      {"content: none", spd("<t:MessageID>{MID}</t:MessageID><b:MessagePrimaryContent/>"), "iii"},
      {"content: two elements",
       spd("<t:MessageID>{MID}</t:MessageID><b:MessagePrimaryContent><q:A/><q:B/></b:MessagePrimaryContent>"), "iii"},
      {"content: element of the basic namespace",
       spd("<t:MessageID>{MID}</t:MessageID><b:MessagePrimaryContent><b:Timestamp>2024-05-01T10:00:00Z</b:Timestamp>"
           "</b:MessagePrimaryContent>"),
       "iii"},
      {"content: a known message-exchange element, broken (lax in 1.2/1.3, skipped in 1.1)",
       spd("<t:MessageID>{MID}</t:MessageID><b:MessagePrimaryContent><t:AckResponse><q:X/></t:AckResponse>"
           "</b:MessagePrimaryContent>"),
       "vii"},
      {"content: a directive registry without records (1.3 knows directive)",
       spd("<t:MessageID>{MID}</t:MessageID><b:MessagePrimaryContent><d:Registry/></b:MessagePrimaryContent>"), "vvi"},
      {"BusinessProcessMetadata with a types-namespace element",
       spd(ok + "<t:BusinessProcessMetadata><t:AckResponse/></t:BusinessProcessMetadata>"), "iii"},
      {"signature wrapper empty", replace_all(spd(ok), "{SIG}", ""), "iii"},
      {"signature wrapper with two ds elements", replace_all(spd(ok), "{SIG}", "{SIG}{SIG}"), "iii"},
      {"signature wrapper with a foreign element", replace_all(spd(ok), "{SIG}", "<q:Signature/>"), "iii"},
      {"attachment header, 1.1 shape",
       hdr("<b:contentId>c1</b:contentId><b:MimeType>image/jpeg</b:MimeType><b:SignaturePKCS7>AA==</b:SignaturePKCS7>"),
       "vvv"},
      {"attachment header with NamespaceUri and Archive (1.2/1.3)",
       hdr("<b:contentId>c1</b:contentId><b:NamespaceUri>urn:x</b:NamespaceUri><b:MimeType>application/zip</b:MimeType>"
           "<b:Archive><b:File><b:Name>a.xml</b:Name><b:NamespaceUri>urn:x</b:NamespaceUri></b:File></b:Archive>"),
       "ivv"},
      {"attachment header, empty Archive",
       hdr("<b:contentId>c1</b:contentId><b:MimeType>application/zip</b:MimeType><b:Archive/>"), "iii"},
      {"attachment header, MIME type outside RFC 2046 tops",
       hdr("<b:contentId>c1</b:contentId><b:MimeType>model/x</b:MimeType>"), "iii"},
      // libxml2 checks the uniqueness of xs:ID attributes, not of xs:ID element content; the
      // official schema under libxml2 gives the same verdict.
      {"attachment contents with a duplicate Id (element content, not enforced)",
       replace_all(
           spd(ok), "</t:SenderProvidedRequestData>",
           "</t:SenderProvidedRequestData><b:AttachmentContentList><b:AttachmentContent><b:Id>a</b:Id><b:Content>"
           "AA==</b:Content></b:AttachmentContent><b:AttachmentContent><b:Id>a</b:Id><b:Content>AA==</b:Content>"
           "</b:AttachmentContent></b:AttachmentContentList>"),
       "vvv"},
      {"selector, timestamp only",
       "<t:GetResponseRequest><b:MessageTypeSelector Id=\"S\">" + sel +
           "</b:MessageTypeSelector></t:GetResponseRequest>",
       "vvv"},
      {"selector, NamespaceURI without the local name",
       "<t:GetRequestRequest><b:MessageTypeSelector><b:NamespaceURI>urn:x</b:NamespaceURI>" + sel +
           "</b:MessageTypeSelector></t:GetRequestRequest>",
       "iii"},
      {"selector, local name not an NCName",
       "<t:GetRequestRequest><b:MessageTypeSelector><b:NamespaceURI>urn:x</b:NamespaceURI><b:RootElementLocalName>a:b"
       "</b:RootElementLocalName>" +
           sel + "</b:MessageTypeSelector></t:GetRequestRequest>",
       "iii"},
      {"selector, no timestamp", "<t:GetRequestRequest><b:MessageTypeSelector/></t:GetRequestRequest>", "iii"},
      {"Ack accepted=true",
       "<t:AckRequest><b:AckTargetMessage Id=\"A\" accepted=\"true\">{MID}</b:AckTargetMessage>"
       "</t:AckRequest>",
       "vvv"},
      {"Ack without accepted (required in 1.1)",
       "<t:AckRequest><b:AckTargetMessage Id=\"A\">{MID}</b:AckTargetMessage></t:AckRequest>", "ivv"},
      {"Ack without Id",
       "<t:AckRequest><b:AckTargetMessage accepted=\"true\">{MID}</b:AckTargetMessage></t:AckRequest>", "iii"},
      {"Ack accepted=yes",
       "<t:AckRequest><b:AckTargetMessage Id=\"A\" accepted=\"yes\">{MID}</b:AckTargetMessage>"
       "</t:AckRequest>",
       "iii"},
      {"AckResponse with a child", "<t:AckResponse><t:X/></t:AckResponse>", "iii"},
      {"GetStatus signed",
       "<t:GetStatusRequest><b:Timestamp Id=\"T\">2024-05-01T10:00:00Z</b:Timestamp>"
       "<t:CallerInformationSystemSignature>{SIG}</t:CallerInformationSystemSignature>"
       "</t:GetStatusRequest>",
       "vvv"},
      {"GetStatus without its signature (mandatory there)",
       "<t:GetStatusRequest><b:Timestamp>2024-05-01T10:00:00Z</b:Timestamp></t:GetStatusRequest>", "iii"},
      {"GetStatusResponse with a status message",
       "<t:GetStatusResponse><t:SmevAsyncProcessingMessage><t:AsyncProcessingStatusData "
       "Id=\"A\"><t:AsyncProcessingStatus>"
       "<t:OriginalMessageId>{MID}</t:OriginalMessageId><t:StatusCategory>requestIsQueued</t:StatusCategory>"
       "</t:AsyncProcessingStatus></t:AsyncProcessingStatusData><t:SMEVSignature>{SIG}</t:SMEVSignature>"
       "</t:SmevAsyncProcessingMessage></t:GetStatusResponse>",
       "vvv"},
      {"queue statistics request (1.1 only)",
       "<t:GetIncomingQueueStatisticsRequest><t:NodeID>n</t:NodeID><b:Timestamp Id=\"T\">2024-05-01T10:00:00Z"
       "</b:Timestamp></t:GetIncomingQueueStatisticsRequest>",
       "vii"},
      {"queue statistics response (1.1 only)",
       "<t:GetIncomingQueueStatisticsResponse><t:QueueStatistics queueName=\"q\" pendingMessageNumber=\"3\"/>"
       "<t:QueueStatistics/></t:GetIncomingQueueStatisticsResponse>",
       "vii"},
      {"queue statistics, count not a number",
       "<t:GetIncomingQueueStatisticsResponse><t:QueueStatistics pendingMessageNumber=\"many\"/>"
       "</t:GetIncomingQueueStatisticsResponse>",
       "iii"},
      {"SendRequestResponse with the version's metadata",
       "<t:SendRequestResponse>{MD}<t:SMEVSignature>{SIG}</t:SMEVSignature></t:SendRequestResponse>", "vvv"},
      {"metadata of 1.1 in any version", "<t:SendRequestResponse>{MD11}</t:SendRequestResponse>", "vii"},
      {"metadata without Sender and Recipient (1.2/1.3)",
       "<t:SendRequestResponse><t:MessageMetadata><t:MessageType>BROADCAST</t:MessageType><t:SendingTimestamp>"
       "2024-05-01T10:00:00Z</t:SendingTimestamp></t:MessageMetadata></t:SendRequestResponse>",
       "ivv"},
      {"metadata, Sender with the mnemonic only (as SMEV 1.2 sends; our 1.2 accepts)",
       "<t:SendResponseResponse><t:MessageMetadata><t:MessageType>RESPONSE</t:MessageType><t:Sender><t:Mnemonic>77BD01"
       "</t:Mnemonic></t:Sender><t:SendingTimestamp>2024-05-01T10:00:00Z</"
       "t:SendingTimestamp><t:Recipient><t:Mnemonic>emu"
       "</t:Mnemonic></t:Recipient></t:MessageMetadata></t:SendResponseResponse>",
       "ivi"},
      {"metadata, MessageType CANCEL (1.1 only)", "<t:SendRequestResponse>{MD}</t:SendRequestResponse>", "vii",
       ">REQUEST<", ">CANCEL<"},
      {"metadata, unknown status", "<t:SendRequestResponse>{MD}</t:SendRequestResponse>", "iii", "requestIsQueued",
       "queued"},
      {"metadata, Recipient mnemonic of 101 characters", "<t:SendRequestResponse>{MD}</t:SendRequestResponse>", "iii",
       "PROV01", std::string(101, 'p')},
      {"Request with ReplyTo",
       request("<t:ReplyTo>eyJ9</t:ReplyTo><t:SenderInformationSystemSignature>{SIG}"
               "</t:SenderInformationSystemSignature>"),
       "vvv"},
      {"Request without ReplyTo (required in 1.1)", request(""), "ivv"},
      {"GetRequestResponse with Cancel (1.1 only)",
       "<t:GetRequestResponse><t:RequestMessage><t:Cancel Id=\"S\"><b:MessageReference>{MID}</b:MessageReference>"
       "<t:MessageID>{MID}</t:MessageID>{MD}</t:Cancel></t:RequestMessage></t:GetRequestResponse>",
       "vii"},
      {"empty GetRequestResponse", "<t:GetRequestResponse/>", "vvv"},
      {"empty GetResponseResponse", "<t:GetResponseResponse/>", "vvv"},
      {"response: two rejections",
       sprd("<t:RequestRejected><t:RejectionReasonCode>NO_DATA</t:RejectionReasonCode>"
            "<t:RejectionReasonDescription>d</t:RejectionReasonDescription></t:RequestRejected>"
            "<t:RequestRejected><t:RejectionReasonCode>FAILURE</t:RejectionReasonCode>"
            "<t:RejectionReasonDescription>d</t:RejectionReasonDescription></t:RequestRejected>"),
       "vvv"},
      {"response: unknown rejection code",
       sprd("<t:RequestRejected><t:RejectionReasonCode>NOPE</t:RejectionReasonCode>"
            "<t:RejectionReasonDescription>d</t:RejectionReasonDescription>"
            "</t:RequestRejected>"),
       "iii"},
      {"response: content and a rejection",
       sprd("{C}<t:RequestRejected><t:RejectionReasonCode>NO_DATA"
            "</t:RejectionReasonCode><t:RejectionReasonDescription>d"
            "</t:RejectionReasonDescription></t:RequestRejected>"),
       "iii"},
      {"response: status code not an int",
       sprd("<t:RequestStatus><t:StatusCode>2147483648</t:StatusCode>"
            "<t:StatusDescription>d</t:StatusDescription></t:RequestStatus>"),
       "iii"},
      {"response: To of 4001 characters",
       replace_all(sprd("{C}"), "<t:To>r</t:To>", "<t:To>" + std::string(4001, 'r') + "</t:To>"), "iii"},
      {"async: RoutingStatus (1.3 only)",
       async("<r:RoutingStatus><r:DynamicRoutingStatus><r:DynamicValue>77</r:DynamicValue><r:RoutingStatusCode>success"
             "</r:RoutingStatusCode></r:DynamicRoutingStatus></r:RoutingStatus>"),
       "iiv"},
      {"async: routing status code unknown",
       async("<r:RoutingStatus><r:DynamicRoutingStatus><r:DynamicValue>77</r:DynamicValue><r:RoutingStatusCode>ok"
             "</r:RoutingStatusCode></r:DynamicRoutingStatus></r:RoutingStatus>"),
       "iii"},
      {"async: SmevFault typed InvalidContent",
       async("<t:SmevFault xsi:type=\"f:InvalidContent\"><b:Code>c</b:Code><f:ValidationError errorPosition=\"-1\">e"
             "</f:ValidationError></t:SmevFault>"),
       "vvv"},
      {"async: SmevFault untyped", async("<t:SmevFault><b:Description>d</b:Description></t:SmevFault>"), "vvv"},
      {"async: SmevFault typed by a fault without a type",
       async("<t:SmevFault xsi:type=\"f:AccessDenied\"></t:SmevFault>"), "iii"},
      {"async: SmevFault Code of 60 characters (50 in 1.1, 100 later)",
       async("<t:SmevFault><b:Code>" + std::string(60, 'c') + "</b:Code></t:SmevFault>"), "ivv"},
      {"async: details of 501 characters", async("<t:StatusDetails>" + std::string(501, 'd') + "</t:StatusDetails>"),
       "iii"},
      {"fault: PersonalAccessDenied (1.2/1.3)",
       fault("<f:PersonalAccessDenied><b:Code>c</b:Code></f:PersonalAccessDenied>"), "ivv"},
      {"fault: EndOfLifeReached with a text (empty in 1.1)",
       fault("<f:EndOfLifeReached><b:Description>d</b:Description></f:EndOfLifeReached>"), "ivv"},
      {"fault: EndOfLifeReached empty", fault("<f:EndOfLifeReached/>"), "vvv"},
      {"fault: InvalidContent without ValidationError",
       fault("<f:InvalidContent><b:Code>c</b:Code></f:InvalidContent>"), "iii"},
      {"fault: ValidationError without errorPosition",
       fault("<f:InvalidContent><f:ValidationError>e</f:ValidationError></f:InvalidContent>"), "iii"},
      {"fault: unknown SignatureVerificationFault value",
       fault("<f:SignatureVerificationFault><f:SignatureVerificationFault>Broken</f:SignatureVerificationFault>"
             "</f:SignatureVerificationFault>"),
       "iii"},
      {"fault: sizes",
       fault("<f:AttachmentSizeLimitExceeded><f:PermittedTotalAttachmentSize>5</f:PermittedTotalAttachmentSize>"
             "<f:RealTotalAttachmentSize>6</f:RealTotalAttachmentSize></f:AttachmentSizeLimitExceeded>"),
       "vvv"},
      {"fault: DestinationOverflow",
       fault("<f:DestinationOverflow><f:MessageBrokerAddress>m</f:MessageBrokerAddress>"
             "<f:DestinationName>d</f:DestinationName></f:DestinationOverflow>"),
       "vvv"},
      {"fault: Void fault with content", fault("<f:AccessDenied><b:Code>c</b:Code></f:AccessDenied>"), "iii"},
      {"fault: unknown fault element", fault("<f:SomethingWrong/>"), "iii"},
  };
}

std::string text_for(const Doc& d, Version v) {
  std::string t = d.text.starts_with("<soap:Envelope") ? d.text : envelope(v, d.text);
  if (!d.after_from.empty()) t = replace_all(t, d.after_from, d.after_to);
  return t;
}

}  // namespace gosdoki::testkit::own_schema
