// The canonical form every layer's values are compared in (ContactNormalizer): the input is a value as text, as
// any layer may hold it (one list item a line for list fields). Normalising twice changes nothing, a value equals
// its normal form, and the timestamp and JSON texts read back as what they print. A normaliser that is not
// idempotent makes the sync see changes that are not there, and write them again, forever.
#include "core/contactnormalizer.h"
#include "fuzzsupport.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace tf;

namespace {

void checkIdempotent(const FieldSpec &spec, const QVariant &raw)
{
    const QVariant once = ContactNormalizer::normalizedValue(spec, raw);
    const QVariant twice = ContactNormalizer::normalizedValue(spec, once);
    const QString onceText = ContactNormalizer::canonicalTextOfNormalized(spec, once);
    const QString twiceText = ContactNormalizer::canonicalTextOfNormalized(spec, twice);
    TF_FUZZ_CHECK(once.isValid() == twice.isValid() && onceText == twiceText,
                  QStringLiteral("%1: normalised once '%2', twice '%3'").arg(spec.name, onceText, twiceText));
    TF_FUZZ_CHECK(ContactNormalizer::valuesEqual(spec, raw, once),
                  QStringLiteral("%1: a value differs from its own normal form '%2'").arg(spec.name, onceText));
}

void checkFixpoint(const char *what, QString (*normalise)(const QString &), const QString &text)
{
    const QString once = normalise(text);
    const QString twice = normalise(once);
    TF_FUZZ_CHECK(once == twice, QStringLiteral("%1: '%2' → '%3' → '%4'").arg(QLatin1String(what), text, once, twice));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(fuzz::bytes(data, size));
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        const QVariant raw
            = spec.kind == FieldKind::StringList ? QVariant(text.split(QLatin1Char('\n'))) : QVariant(text);
        checkIdempotent(spec, raw);
    }
    checkFixpoint("email", &ContactNormalizer::normalizedEmail, text);
    checkFixpoint("phone", &ContactNormalizer::normalizedPhone, text);

    const QDateTime timestamp = ContactNormalizer::parseTimestamp(text);
    if (timestamp.isValid()) {
        const QString printed = ContactNormalizer::timestampText(timestamp);
        const QDateTime back = ContactNormalizer::parseTimestamp(printed);
        TF_FUZZ_CHECK(back == timestamp && back.timeSpec() == Qt::UTC,
                      QStringLiteral("'%1' → %2 → '%3'").arg(text, printed, back.toString(Qt::ISODateWithMs)));
    }

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error == QJsonParseError::NoError && document.array().size() == 1) {
        const QString canonical = ContactNormalizer::canonicalJson(document.array().first());
        const QJsonDocument again = QJsonDocument::fromJson("[" + canonical.toUtf8() + "]");
        TF_FUZZ_CHECK(ContactNormalizer::canonicalJson(again.array().first()) == canonical,
                      QStringLiteral("JSON '%1' prints '%2', which reads back differently").arg(text, canonical));
    }
    return 0;
}
