#include "twenty/recordinputprocessor.h"

#include "twenty/apierror.h"
#include "twenty/timestamps.h"
#include "twenty/uuids.h"
#include "twenty/valueinspector.h"

#include <QJsonDocument>
#include <cmath>

namespace tf::emu {

namespace {

[[noreturn]] void reject(const QString &pattern, const QJsonValue &value, const QString &key)
{
    throw ApiError::badRequest(pattern.arg(ValueInspector::inspect(value), key));
}

bool isFiniteNumber(const QJsonValue &value)
{
    return value.isDouble() && std::isfinite(value.toDouble());
}

QJsonValue uuidValue(const QJsonValue &value, const QString &key)
{
    if (value.isNull())
        return value;
    if (!value.isString() || !Uuids::isValid(value.toString()))
        reject(QStringLiteral("Invalid UUID value %1 for field \"%2\""), value, key);
    return value.toString().toLower();
}

QJsonArray stringArray(const QJsonValue &value, const QString &key)
{
    if (value.isNull())
        return {};
    // The validator also lets a JSON-encoded list through.
    const QJsonDocument encoded = QJsonDocument::fromJson(value.toString().toUtf8());
    const QJsonValue array = value.isString() && encoded.isArray() ? QJsonValue(encoded.array()) : value;
    bool ok = array.isArray();
    for (const QJsonValue &item : array.toArray())
        ok = ok && item.isString();
    if (!ok)
        reject(QStringLiteral("Invalid value %1 for field \"%2 - Array values need to be string\""), value, key);
    return array.toArray();
}

// Twenty's defaultValue for text is SQL-quoted ("'Desk'").
QJsonValue unquotedDefault(const QJsonValue &value)
{
    const QString text = value.toString();
    if (value.isString() && text.size() >= 2 && text.startsWith(QLatin1Char('\'')) && text.endsWith(QLatin1Char('\'')))
        return text.mid(1, text.size() - 2);
    return value;
}

} // namespace

RecordInputProcessor::RecordInputProcessor(const ObjectSchema &schema, EmptyText mode)
    : m_schema(schema)
    , m_nulls(mode)
    , m_composites(m_nulls)
{
}

QJsonValue RecordInputProcessor::defaultOf(const FieldDefinition &field) const
{
    if (isComposite(field.type))
        return m_composites.defaults(field.type);
    const QJsonValue configured = unquotedDefault(field.defaultValue);
    switch (field.type) {
    case FieldType::Text:
        return configured.isNull() ? m_nulls.emptyText(!field.isCustom) : configured;
    case FieldType::Array:
    case FieldType::MultiSelect:
        return configured.isArray() ? configured : QJsonArray();
    default:
        return configured;
    }
}

QJsonObject RecordInputProcessor::defaults() const
{
    QJsonObject record;
    for (const FieldDefinition *field : m_schema.activeFields()) {
        if (field->isManyToOne())
            record.insert(field->joinColumn, QJsonValue::Null);
        else if (field->storesValue())
            record.insert(field->name, defaultOf(*field));
    }
    return record;
}

QJsonObject RecordInputProcessor::apply(const QJsonObject &input, QJsonObject base) const
{
    for (auto it = input.begin(); it != input.end(); ++it) {
        const QString &key = it.key();
        const QJsonValue &value = it.value();
        if (const FieldDefinition *field = m_schema.activeField(key)) {
            if (field->isOneToMany()) {
                throw ApiError::badRequest(
                    QStringLiteral("One-to-many relation %1 field does not support write operations.").arg(key));
            }
            if (field->isManyToOne()) {
                // A null relation means "disconnect"; connecting goes through the join column.
                if (!value.isNull())
                    throw ApiError::badRequest(QStringLiteral("Relation \"%1\" requires connect or disconnect operation").arg(key));
                base.insert(field->joinColumn, QJsonValue::Null);
            } else if (isComposite(field->type)) {
                base.insert(key, m_composites.apply(*field, value, base.value(key).toObject()));
            } else {
                base.insert(key, scalar(*field, value));
            }
        } else if (m_schema.activeFieldByJoinColumn(key)) {
            base.insert(key, uuidValue(value, key));
        } else {
            // The spec lists no message for a key that is no field; this is the data-arg processor's own
            // (data-arg-processor.service.ts @04ab3f7f, CommonQueryRunnerException INVALID_ARGS_DATA, a 400).
            throw ApiError::badRequest(
                QStringLiteral("Object %1 doesn't have any \"%2\" field.").arg(m_schema.nameSingular(), key));
        }
    }
    return base;
}

QJsonValue RecordInputProcessor::scalar(const FieldDefinition &field, const QJsonValue &value) const
{
    const QString &key = field.name;
    switch (field.type) {
    case FieldType::Uuid:
        return uuidValue(value, key);
    case FieldType::Text:
        if (!value.isNull() && !value.isString())
            reject(QStringLiteral("Invalid string value %1 for text field \"%2\""), value, key);
        return m_nulls.text(value, !field.isCustom);
    case FieldType::Number:
        if (!value.isNull() && !isFiniteNumber(value))
            reject(QStringLiteral("Invalid number value %1 for field \"%2\""), value, key);
        return value;
    case FieldType::Position:
        if (value.isNull())
            throw ApiError::badRequest(QStringLiteral("Invalid position value NaN for field \"%1\"").arg(key));
        if (!isFiniteNumber(value))
            reject(QStringLiteral("Invalid position value %1 for field \"%2\""), value, key);
        return value;
    case FieldType::Boolean:
        if (!value.isNull() && !value.isBool())
            reject(QStringLiteral("Invalid boolean value %1 for field \"%2\""), value, key);
        return value;
    case FieldType::DateTime: {
        if (value.isNull())
            return value;
        const std::optional<qint64> instant = value.isString() ? Timestamps::parse(value.toString()) : std::nullopt;
        if (!instant) {
            reject(QStringLiteral("Invalid value %1 for date-time field \"%2\". Expected format: 'YYYY-MM-DDTHH:mm:ssZ'"),
                   value, key);
        }
        return Timestamps::format(*instant);
    }
    case FieldType::Date:
        if (!value.isNull() && !(value.isString() && Timestamps::isDate(value.toString())))
            reject(QStringLiteral("Invalid value %1 for date field \"%2\". Expected format: 'YYYY-MM-DD'"), value, key);
        return value;
    case FieldType::RawJson: {
        if (value.isNull() || value.isObject() || value.isArray())
            return value;
        if (value.isString()) {
            QJsonParseError error;
            // Wrapped in a list, so that any JSON text parses, a bare "text" or 42 included.
            const QJsonDocument parsed = QJsonDocument::fromJson("[" + value.toString().toUtf8() + "]", &error);
            if (error.error == QJsonParseError::NoError && parsed.array().size() == 1)
                return parsed.array().first();
        }
        reject(QStringLiteral("Invalid object value %1 for field \"%2\""), value, key);
    }
    case FieldType::Array:
        return stringArray(value, key);
    case FieldType::Select:
    case FieldType::Rating:
        if (value.isNull())
            return value;
        if (!value.isString())
            reject(QStringLiteral("Invalid string value %1 for text field \"%2\""), value, key);
        if (!field.optionValues().contains(value.toString()))
            reject(QStringLiteral("Invalid value %1 for field \"%2\""), value, key);
        return value;
    case FieldType::MultiSelect: {
        if (value.isString())
            reject(QStringLiteral("Invalid value %1 for multi select field \"%2\""), value, key);
        const QJsonArray values = stringArray(value, key);
        for (const QJsonValue &item : values) {
            if (!field.optionValues().contains(item.toString()))
                reject(QStringLiteral("Invalid value %1 for multi select field \"%2\""), item, key);
        }
        return values;
    }
    default:
        return value;
    }
}

} // namespace tf::emu
