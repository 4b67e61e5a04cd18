#pragma once

#include "core/fieldregistry.h"

#include <QDateTime>
#include <QJsonValue>
#include <QList>
#include <QVariant>

namespace tf {

// One contact: a value per registry field, in registry order. Value types by FieldKind:
// Text → QString, Float → double, StringList → QStringList, Timestamp → QDateTime (UTC),
// Json → QJsonValue. An invalid QVariant is NULL.
class Contact
{
public:
    Contact();

    QString id() const;
    void setId(const QString &contactId);

    QVariant value(int fieldIndex) const;
    QVariant value(const QString &fieldName) const;
    void setValue(int fieldIndex, const QVariant &value);
    void setValue(const QString &fieldName, const QVariant &value);
    bool isNull(int fieldIndex) const;

    QString text(const QString &fieldName) const;
    QStringList list(const QString &fieldName) const;
    QDateTime timestamp(const QString &fieldName) const;
    QJsonValue json(const QString &fieldName) const;

    bool isDeleted() const;

    friend bool operator==(const Contact &a, const Contact &b) { return a.m_values == b.m_values; }
    friend bool operator!=(const Contact &a, const Contact &b) { return !(a == b); }

private:
    QList<QVariant> m_values;
};

} // namespace tf

Q_DECLARE_METATYPE(tf::Contact)
