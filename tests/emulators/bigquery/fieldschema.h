#pragma once

#include "bigquery/sqltype.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace tf::emu {

// One column of a table schema or of a query result (TableFieldSchema, bigquery-rest.md §3.1): name, type, mode and,
// for RECORD, the nested fields.
struct FieldSchema {
    enum class Mode { Nullable, Required, Repeated };

    QString name;
    TypeKind kind = TypeKind::String; // Struct for RECORD
    Mode mode = Mode::Nullable;
    QString description;
    QList<FieldSchema> fields;

    bool repeated() const { return mode == Mode::Repeated; }
    SqlType baseType() const;  // of one value: STRUCT<...> for a RECORD
    SqlType valueType() const; // of the column: ARRAY<base> when REPEATED

    // The response form: legacy type names (INTEGER, FLOAT, BOOLEAN, RECORD) and an explicit mode (§1.2).
    QJsonObject toJson() const;
    static QJsonArray listToJson(const QList<FieldSchema> &fields);

    // A tables.insert schema; throws GoogleError (400 invalid) naming the first problem.
    static QList<FieldSchema> listFromJson(const QJsonValue &fields);
    // A query result column of `type` (ARRAY<T> becomes REPEATED T, STRUCT becomes RECORD).
    static FieldSchema fromType(const QString &name, const SqlType &type, bool required = false);

    // Case-insensitive, as GoogleSQL column names are; -1 when absent.
    static qsizetype indexOf(const QList<FieldSchema> &fields, const QString &name);
};

} // namespace tf::emu
