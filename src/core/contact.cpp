#include "core/contact.h"

namespace tf {

Contact::Contact()
    : m_values(FieldRegistry::count())
{
}

QString Contact::id() const
{
    return text(field::ContactId);
}

void Contact::setId(const QString &contactId)
{
    setValue(field::ContactId, contactId);
}

QVariant Contact::value(int fieldIndex) const
{
    return m_values.value(fieldIndex);
}

QVariant Contact::value(const QString &fieldName) const
{
    return value(FieldRegistry::indexOf(fieldName));
}

void Contact::setValue(int fieldIndex, const QVariant &value)
{
    Q_ASSERT(fieldIndex >= 0 && fieldIndex < m_values.size());
    m_values[fieldIndex] = value;
}

void Contact::setValue(const QString &fieldName, const QVariant &value)
{
    setValue(FieldRegistry::indexOf(fieldName), value);
}

bool Contact::isNull(int fieldIndex) const
{
    return !m_values.value(fieldIndex).isValid() || m_values.value(fieldIndex).isNull();
}

QString Contact::text(const QString &fieldName) const
{
    return value(fieldName).toString();
}

QStringList Contact::list(const QString &fieldName) const
{
    return value(fieldName).toStringList();
}

QDateTime Contact::timestamp(const QString &fieldName) const
{
    return value(fieldName).toDateTime();
}

QJsonValue Contact::json(const QString &fieldName) const
{
    const QVariant v = value(fieldName);
    return v.isValid() ? v.value<QJsonValue>() : QJsonValue(QJsonValue::Null);
}

bool Contact::isDeleted() const
{
    return timestamp(field::DeletedAt).isValid();
}

void Contact::markUnreadable(int fieldIndex, const QString &reason)
{
    Q_ASSERT(fieldIndex >= 0 && fieldIndex < m_values.size());
    m_unreadable.insert(fieldIndex, reason);
}

} // namespace tf
