#pragma once

#include "core/fieldregistry.h"

#include <QDateTime>
#include <QJsonValue>
#include <QList>
#include <QMap>
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

    // A value the reading connector could not read exactly (text that is not UTF-8, a number that is not one): the
    // layer's raw value stays where it is, the field holds at most a stand-in for display, and the engine refuses
    // the whole contact (ValueValidator) instead of carrying a changed value anywhere. Field index → why.
    void markUnreadable(int fieldIndex, const QString &reason);
    const QMap<int, QString> &unreadable() const { return m_unreadable; }

    // Values only: a stand-in compares like any value, and the engine never plans with an unreadable contact.
    friend bool operator==(const Contact &a, const Contact &b) { return a.m_values == b.m_values; }
    friend bool operator!=(const Contact &a, const Contact &b) { return !(a == b); }

private:
    QList<QVariant> m_values;
    QMap<int, QString> m_unreadable;
};

} // namespace tf

Q_DECLARE_METATYPE(tf::Contact)
