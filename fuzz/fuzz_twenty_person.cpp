// A Twenty person as the mapper reads it (PersonMapper::fromPerson, twenty-rest.md §2.3, §4): the input is one
// person record (a depth-1 record's company.name is its organisation). Errors are ConnectorError only. What is
// read maps back to a body that, stored by Twenty and read again, is the same contact: otherwise the sync would
// see its own write as a change and send it again (ping-pong).
#include "connectors/twenty/personmapper.h"
#include "core/connector.h"
#include "core/contactnormalizer.h"
#include "fuzzsupport.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace tf;

namespace {

void readServerFields(const QJsonObject &person)
{
    PersonMapper::personId(person);
    PersonMapper::contactId(person);
    PersonMapper::companyId(person);
    try {
        PersonMapper::updatedAt(person);
    } catch (const ConnectorError &) {
    }
    try {
        PersonMapper::deletedAt(person);
    } catch (const ConnectorError &) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonObject person = QJsonDocument::fromJson(fuzz::bytes(data, size)).object();
    readServerFields(person);
    const QString companyName
        = person.value(QStringLiteral("company")).toObject().value(QStringLiteral("name")).toString();
    Contact contact;
    try {
        contact = PersonMapper::fromPerson(person, companyName);
    } catch (const ConnectorError &) {
        return 0;
    }

    QString error;
    const std::optional<QJsonObject> body
        = PersonMapper::toPerson(contact, PersonMapper::personId(person), PersonMapper::companyId(person), &error);
    if (!body) {
        TF_FUZZ_CHECK(!error.isEmpty(), QStringLiteral("a contact refused without a reason"));
        return 0;
    }
    // Twenty stores the body and adds what it sets itself (updatedAt, deletedAt; §4.1).
    QJsonObject stored = *body;
    for (const QString &key : {QStringLiteral("updatedAt"), QStringLiteral("deletedAt")})
        stored.insert(key, person.value(key));
    Contact back;
    try {
        back = PersonMapper::fromPerson(stored, companyName);
    } catch (const ConnectorError &readBack) {
        fuzz::violated(
            __FILE__, __LINE__, "the body we send reads back",
            QStringLiteral("%1\n  body: %2").arg(readBack.message(), QString::fromUtf8(QJsonDocument(*body).toJson())));
    }
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        TF_FUZZ_CHECK(ContactNormalizer::valuesEqual(spec, contact.value(spec.index), back.value(spec.index)),
                      QStringLiteral("%1: read '%2', after a round trip through Twenty '%3'")
                          .arg(spec.name, ContactNormalizer::canonicalText(spec, contact.value(spec.index)),
                               ContactNormalizer::canonicalText(spec, back.value(spec.index))));
    }
    return 0;
}
