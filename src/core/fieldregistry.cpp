#include "core/fieldregistry.h"

#include <QHash>
#include <QRegularExpression>

namespace tf {

namespace {

using K = FieldKind;

struct Row {
    const char *name;
    const char *category;
    FieldKind kind;
    const char *bigquery;
    const char *postgres;
    const char *sqlite;
    const char *twenty;
    const char *notes;
};

// Mirrors contract/contact-fields.tsv column for column; tst_fieldregistry checks it against the file.
// One contract row per line, as in the file.
// clang-format off
constexpr Row kRows[] = {
    {"contact_id", "identifier", K::Text, "STRING REQUIRED", "text primary key", "TEXT PRIMARY KEY", "custom TEXT tfContactId (unique)", "canonical id; UUIDv7 text minted by whichever layer first holds the contact"},
    {"crm_id", "identifier", K::Text, "STRING", "text", "TEXT", "id", "the Twenty person id; written back to the other layers after the first create in Twenty"},
    {"external_ref", "identifier", K::Text, "STRING", "text", "TEXT", "custom TEXT externalRef", "id in the system the contact was imported from"},
    {"full_name", "name", K::Text, "STRING", "text", "TEXT", "custom TEXT fullName", ""},
    {"given_name", "name", K::Text, "STRING", "text", "TEXT", "name.firstName", ""},
    {"middle_name", "name", K::Text, "STRING", "text", "TEXT", "custom TEXT middleName", ""},
    {"family_name", "name", K::Text, "STRING", "text", "TEXT", "name.lastName", ""},
    {"name_prefix", "name", K::Text, "STRING", "text", "TEXT", "custom TEXT namePrefix", ""},
    {"name_suffix", "name", K::Text, "STRING", "text", "TEXT", "custom TEXT nameSuffix", ""},
    {"nickname", "name", K::Text, "STRING", "text", "TEXT", "custom TEXT nickname", ""},
    {"display_name", "name", K::Text, "STRING", "text", "TEXT", "custom TEXT displayName", ""},
    {"phonetic_name", "name", K::Text, "STRING", "text", "TEXT", "custom TEXT phoneticName", ""},
    {"organization", "organization", K::Text, "STRING", "text", "TEXT", "companyId -> company.name", "find-or-create the Twenty Company by name"},
    {"job_title", "organization", K::Text, "STRING", "text", "TEXT", "jobTitle", ""},
    {"department", "organization", K::Text, "STRING", "text", "TEXT", "custom TEXT department", ""},
    {"relationship_type", "relationship", K::Text, "STRING", "text", "TEXT", "custom TEXT relationshipType", "e.g. family, friend, colleague, client"},
    {"relationship_category", "relationship", K::Text, "STRING", "text", "TEXT", "custom TEXT relationshipCategory", ""},
    {"relationship_strength", "relationship", K::Float, "FLOAT64", "double precision", "REAL", "custom NUMBER relationshipStrength", "0.0 to 1.0"},
    {"tags", "metadata", K::StringList, "STRING REPEATED", "text[]", "TEXT (JSON array)", "custom ARRAY tags", "order kept"},
    {"notes", "metadata", K::Text, "STRING", "text", "TEXT", "custom TEXT notes", ""},
    {"created_at", "metadata", K::Timestamp, "TIMESTAMP", "timestamptz", "TEXT (ISO-8601 UTC, microseconds)", "custom DATE_TIME sourceCreatedAt", "Twenty's own createdAt is server-set and not used"},
    {"updated_at", "metadata", K::Timestamp, "TIMESTAMP", "timestamptz", "TEXT (ISO-8601 UTC, microseconds)", "updatedAt", "each layer's own modification time; set by the writer (BigQuery), a trigger (Postgres, SQLite) or the server (Twenty)"},
    {"llm_summary", "llm", K::Json, "JSON", "jsonb", "TEXT (JSON)", "custom RAW_JSON llmSummary", ""},
    {"llm_topics", "llm", K::Json, "JSON", "jsonb", "TEXT (JSON)", "custom RAW_JSON llmTopics", ""},
    {"communication_stats", "llm", K::Json, "JSON", "jsonb", "TEXT (JSON)", "custom RAW_JSON communicationStats", ""},
    {"ai_insights", "llm", K::Json, "JSON", "jsonb", "TEXT (JSON)", "custom RAW_JSON aiInsights", ""},
    {"social_network", "llm", K::Json, "JSON", "jsonb", "TEXT (JSON)", "custom RAW_JSON socialNetwork", "relationships to other contacts, embedded"},
    {"sync_meta", "sync", K::Json, "JSON", "jsonb", "TEXT (JSON)", "custom RAW_JSON syncMeta", "origin layer, version, content hash; informative only: the sync state of record lives in the state database"},
    {"emails", "contact", K::StringList, "STRING REPEATED", "text[]", "TEXT (JSON array)", "emails.primaryEmail + emails.additionalEmails", "first entry is primary; compared lowercased with IDN domains in punycode, as Twenty stores them"},
    {"phones", "contact", K::StringList, "STRING REPEATED", "text[]", "TEXT (JSON array)", "phones.primaryPhoneNumber/CountryCode/CallingCode + additionalPhones", "E.164 strings outside Twenty"},
    {"deleted_at", "tombstone", K::Timestamp, "TIMESTAMP", "timestamptz", "TEXT (ISO-8601 UTC, microseconds)", "deletedAt (DELETE ?soft_delete=true)", "a set value means deleted everywhere; rows are never physically removed by the sync"},
};
// clang-format on

QList<FieldSpec> buildFields()
{
    QList<FieldSpec> fields;
    int index = 0;
    for (const Row &row : kRows) {
        FieldSpec spec;
        spec.index = index++;
        spec.name = QString::fromUtf8(row.name);
        spec.category = QString::fromUtf8(row.category);
        spec.kind = row.kind;
        spec.bigqueryType = QString::fromUtf8(row.bigquery);
        spec.postgresType = QString::fromUtf8(row.postgres);
        spec.sqliteType = QString::fromUtf8(row.sqlite);
        spec.twenty = QString::fromUtf8(row.twenty);
        spec.notes = QString::fromUtf8(row.notes);
        fields.append(spec);
    }
    return fields;
}

const QHash<QString, int> &indexByName()
{
    static const QHash<QString, int> index = [] {
        QHash<QString, int> map;
        for (const FieldSpec &spec : FieldRegistry::fields())
            map.insert(spec.name, spec.index);
        return map;
    }();
    return index;
}

} // namespace

TwentyMapping FieldSpec::twentyMapping() const
{
    static const QRegularExpression customPattern(
        QStringLiteral("^custom ([A-Z_]+) ([A-Za-z0-9]+)( \\(unique\\))?$"));
    TwentyMapping mapping;
    const QRegularExpressionMatch match = customPattern.match(twenty);
    if (match.hasMatch()) {
        mapping.custom = true;
        mapping.customType = match.captured(1);
        mapping.name = match.captured(2);
        mapping.unique = match.capturedLength(3) > 0;
    } else {
        // Standard fields: the first token names the path (id, name.firstName, companyId, emails.primaryEmail, ...).
        mapping.name = twenty.section(QLatin1Char(' '), 0, 0);
    }
    return mapping;
}

QString FieldSpec::bigqueryBaseType() const
{
    return bigqueryType.section(QLatin1Char(' '), 0, 0);
}

QString FieldSpec::bigqueryMode() const
{
    const QString mode = bigqueryType.section(QLatin1Char(' '), 1, 1);
    return mode.isEmpty() ? QStringLiteral("NULLABLE") : mode;
}

bool FieldSpec::isContent() const
{
    return name != field::UpdatedAt && name != field::SyncMeta;
}

bool FieldSpec::isStampedByTwenty() const
{
    return kind == FieldKind::Timestamp && !twentyMapping().custom;
}

const QList<FieldSpec> &FieldRegistry::fields()
{
    static const QList<FieldSpec> fields = buildFields();
    return fields;
}

const FieldSpec *FieldRegistry::find(const QString &name)
{
    const auto it = indexByName().constFind(name);
    return it == indexByName().constEnd() ? nullptr : &fields().at(*it);
}

const FieldSpec &FieldRegistry::field(const QString &name)
{
    const FieldSpec *spec = find(name);
    Q_ASSERT_X(spec, "FieldRegistry::field", qPrintable(name));
    return *spec;
}

int FieldRegistry::indexOf(const QString &name)
{
    return indexByName().value(name, -1);
}

int FieldRegistry::count()
{
    return int(fields().size());
}

QStringList FieldRegistry::names()
{
    QStringList names;
    for (const FieldSpec &spec : fields())
        names.append(spec.name);
    return names;
}

} // namespace tf
