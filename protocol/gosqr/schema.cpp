// The XSD of the emulator's Госдоки QR-check contract. Ours, not an official schema.
#include "protocol/gosqr/contract.hpp"

namespace gosdoki::gosqr {

std::string_view schema_xsd() {
  static constexpr std::string_view kXsd = R"XSD(<?xml version="1.0" encoding="UTF-8"?>
<!-- GosDoki Sandbox emulator contract for the Госдоки QR identity check (вид сведений).
     NOT an official schema: the real one is not public. Namespace suffix -emul marks it. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:q="urn://gosuslugi/gosqr-docs-emul/1.0.0"
           targetNamespace="urn://gosuslugi/gosqr-docs-emul/1.0.0"
           elementFormDefault="qualified" attributeFormDefault="unqualified">

  <xs:simpleType name="Purpose">
    <xs:restriction base="xs:string">
      <xs:enumeration value="AGE_18_GOODS"/>
      <xs:enumeration value="AGE_RESTRICTED_EVENT"/>
      <xs:enumeration value="PREMISES_ACCESS"/>
      <xs:enumeration value="POSTAL"/>
      <xs:enumeration value="FINANCIAL"/>
      <xs:enumeration value="MFC"/>
      <xs:enumeration value="TELECOM"/>
      <xs:enumeration value="PRIVATE_MEDICAL"/>
      <xs:enumeration value="HOTEL"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="QrSource">
    <xs:restriction base="xs:string">
      <xs:enumeration value="MPGU"/>
      <xs:enumeration value="MAX"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="DocType">
    <xs:restriction base="xs:string">
      <xs:enumeration value="RF_PASSPORT"/>
      <xs:enumeration value="FRGN_PASS"/>
      <xs:enumeration value="RF_DRIVING_LICENSE"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Text1000">
    <xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="1000"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Id100">
    <xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="100"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="UUID">
    <xs:restriction base="xs:string">
      <xs:pattern value="[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:complexType name="Organization">
    <xs:sequence>
      <xs:element name="ogrn"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9]{13}"/></xs:restriction></xs:simpleType></xs:element>
      <xs:element name="inn"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}"/></xs:restriction></xs:simpleType></xs:element>
      <xs:element name="kpp" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9]{4}[0-9A-Z]{2}[0-9]{3}"/></xs:restriction></xs:simpleType></xs:element>
      <xs:element name="name" type="q:Text1000"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="PointOfService">
    <xs:sequence>
      <xs:element name="placeId" type="q:Id100"/>
      <xs:element name="terminalId" type="q:Id100"/>
      <xs:element name="address" type="q:Text1000" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:element name="RequestGosQrDocs">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="qrCode" type="xs:base64Binary"/>
        <xs:element name="qrSource" type="q:QrSource" minOccurs="0"/>
        <xs:element name="faceImage" type="xs:base64Binary"/>
        <xs:element name="faceImageCapturedAt" type="xs:dateTime"/>
        <xs:element name="purpose" type="q:Purpose"/>
        <xs:element name="organization" type="q:Organization"/>
        <xs:element name="pointOfService" type="q:PointOfService"/>
        <xs:element name="operatorId" type="q:Id100" minOccurs="0"/>
        <xs:element name="requestedDocs" minOccurs="0">
          <xs:complexType><xs:sequence><xs:element name="docType" type="q:DocType" maxOccurs="3"/></xs:sequence></xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="Id" type="xs:ID" use="required"/>
      <xs:attribute name="timestamp" type="xs:dateTime" use="required"/>
    </xs:complexType>
  </xs:element>

  <xs:complexType name="Person">
    <xs:sequence>
      <xs:element name="lastName" type="q:Text1000" minOccurs="0"/>
      <xs:element name="firstName" type="q:Text1000" minOccurs="0"/>
      <xs:element name="middleName" type="q:Text1000" minOccurs="0"/>
      <xs:element name="birthDate" type="xs:date" minOccurs="0"/>
      <xs:element name="birthPlace" type="q:Text1000" minOccurs="0"/>
      <xs:element name="gender" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="M"/><xs:enumeration value="F"/></xs:restriction></xs:simpleType></xs:element>
      <xs:element name="citizenship" type="q:Id100" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Document">
    <xs:sequence>
      <xs:element name="type" type="q:DocType" minOccurs="0"/>
      <xs:element name="series" type="q:Id100" minOccurs="0"/>
      <xs:element name="number" type="q:Id100" minOccurs="0"/>
      <xs:element name="issueDate" type="xs:date" minOccurs="0"/>
      <xs:element name="issueId" type="q:Id100" minOccurs="0"/>
      <xs:element name="issuedBy" type="q:Text1000" minOccurs="0"/>
      <xs:element name="expiryDate" type="xs:date" minOccurs="0"/>
      <xs:element name="vrfStu" type="q:Id100" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:element name="ResponseGosQrDocs">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="result"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="OK"/><xs:enumeration value="REJECTED"/></xs:restriction></xs:simpleType></xs:element>
        <xs:element name="resultCode" type="q:Id100"/>
        <xs:element name="resultMessage" type="q:Text1000"/>
        <xs:element name="ageConfirmed18" type="xs:boolean" minOccurs="0"/>
        <xs:element name="ageConfirmed14" type="xs:boolean" minOccurs="0"/>
        <xs:element name="person" type="q:Person" minOccurs="0"/>
        <xs:element name="doc" type="q:Document" minOccurs="0"/>
        <xs:element name="checkId" type="q:UUID"/>
        <xs:element name="checkedAt" type="xs:dateTime"/>
      </xs:sequence>
      <xs:attribute name="Id" type="xs:ID" use="required"/>
      <xs:attribute name="timestamp" type="xs:dateTime" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
)XSD";
  return kXsd;
}

}  // namespace gosdoki::gosqr
