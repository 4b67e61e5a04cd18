// Phones between E.164 and Twenty's parts (PhoneSplitter, twenty-rest.md §4.1, §4.3). Input: a phone as any layer
// may hold it on the first line; the second to fourth lines are parts as Twenty may return them (number, country,
// calling code). A phone that splits joins back to its own E.164 form (or the sync would rewrite it on every
// cycle); one that does not split says why; parts always join to a number that joins and splits stably.
#include "connectors/twenty/phonesplitter.h"
#include "core/contactnormalizer.h"
#include "fuzzsupport.h"

using namespace tf;

namespace {

void checkSplitJoins(const QString &phone)
{
    QString error;
    const std::optional<PhoneParts> parts = PhoneSplitter::split(phone, &error);
    if (!parts) {
        TF_FUZZ_CHECK(!error.isEmpty(), QStringLiteral("'%1' refused without a reason").arg(phone));
        return;
    }
    const QString joined = PhoneSplitter::join(*parts);
    const QString normal = ContactNormalizer::normalizedPhone(phone);
    TF_FUZZ_CHECK(joined == normal,
                  QStringLiteral("'%1' (E.164 '%2') splits into '%3' '%4' '%5', which join to '%6'")
                      .arg(phone, normal, parts->number, parts->countryCode, parts->callingCode, joined));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<QByteArray> lines = fuzz::parts(fuzz::bytes(data, size), 4);
    checkSplitJoins(QString::fromUtf8(lines.at(0)));

    const PhoneParts parts{QString::fromUtf8(lines.at(1)), QString::fromUtf8(lines.at(2)),
                           QString::fromUtf8(lines.at(3))};
    const QString joined = PhoneSplitter::join(parts);
    TF_FUZZ_CHECK(joined == ContactNormalizer::normalizedPhone(joined),
                  QStringLiteral("parts '%1' '%2' '%3' join to '%4', not in its normal form")
                      .arg(parts.number, parts.countryCode, parts.callingCode, joined));
    if (!joined.isEmpty())
        checkSplitJoins(joined);
    return 0;
}
