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
        const QVariant value = contact.value(spec.index);
        // Name, NULL marker and length prefix keep "a"+"bc" and "ab"+"c" apart.
        const QByteArray text = ContactNormalizer::canonicalText(spec, value).toUtf8();
        const bool isNull = !ContactNormalizer::normalizedValue(spec, value).isValid();
        hash.addData(spec.name.toUtf8());
        hash.addData(isNull ? QByteArrayView("\x00N", 2) : QByteArrayView("\x00V", 2));
        hash.addData(QByteArray::number(text.size()) + ':');
        hash.addData(text);
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace tf
