#include "core/contenthash.h"

#include "core/contactnormalizer.h"

#include <QCryptographicHash>

namespace tf {

QString ContentHash::of(const Contact &contact)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        if (!spec.isContent())
            continue;
        const QVariant normal = ContactNormalizer::normalizedValue(spec, contact.value(spec.index));
        // Name, NULL marker and length prefix keep "a"+"bc" and "ab"+"c" apart.
        const QByteArray text = ContactNormalizer::canonicalTextOfNormalized(spec, normal).toUtf8();
        const bool isNull = !normal.isValid();
        hash.addData(spec.name.toUtf8());
        hash.addData(isNull ? QByteArrayView("\x00N", 2) : QByteArrayView("\x00V", 2));
        hash.addData(QByteArray::number(text.size()) + ':');
        hash.addData(text);
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace tf
