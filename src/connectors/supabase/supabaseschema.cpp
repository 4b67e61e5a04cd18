#include "connectors/supabase/supabaseschema.h"

#include "core/connector.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace tf {

namespace {

// Derived names (table_changelog_txid_seq, ...) must stay within PostgreSQL's 63-byte identifiers, and the
// names are embedded in $tf$-quoted function bodies.
constexpr int kMaxIdentifierBytes = 40;

void validateIdentifier(const QString &what, const QString &name)
{
    QString problem;
    if (name.isEmpty())
        problem = QStringLiteral("is empty");
    else if (name.toUtf8().size() > kMaxIdentifierBytes)
        problem = QStringLiteral("is longer than %1 bytes").arg(kMaxIdentifierBytes);
    else if (name.contains(QLatin1Char('$')) || name.contains(QChar(0)))
        problem = QStringLiteral("contains '$' or NUL");
    if (!problem.isEmpty()) {
        throw ConnectorError(Layer::Supabase, ConnectorError::Kind::Configuration,
                             QStringLiteral("[supabase] %1 \"%2\" %3").arg(what, name, problem));
    }
}

} // namespace

SupabaseSchema::SupabaseSchema(const QString &schema, const QString &table)
    : m_schema(schema)
    , m_table(table)
{
    validateIdentifier(QStringLiteral("schema"), schema);
    validateIdentifier(QStringLiteral("table"), table);
}

QString SupabaseSchema::quoteIdent(const QString &identifier)
{
    QString quoted = identifier;
    return QLatin1Char('"') + quoted.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QString SupabaseSchema::columnType(const FieldSpec &spec)
{
    QString type = spec.postgresType;
    return type.remove(QStringLiteral("primary key"), Qt::CaseInsensitive).trimmed();
}

QString SupabaseSchema::notifyChannel()
{
    return QStringLiteral("truthforge_contacts");
}

QString SupabaseSchema::touchTrigger()
{
    return QStringLiteral("tf_touch_updated_at");
}

QString SupabaseSchema::captureTrigger()
{
    return QStringLiteral("tf_capture_changes");
}

QString SupabaseSchema::truncateTrigger()
{
    return QStringLiteral("tf_capture_truncate");
}

QString SupabaseSchema::displayName() const
{
    return m_schema + QLatin1Char('.') + m_table;
}

QString SupabaseSchema::qualified(const QString &name) const
{
    return quoteIdent(m_schema) + QLatin1Char('.') + quoteIdent(name);
}

QString SupabaseSchema::qualifiedTable() const
{
    return qualified(m_table);
}

QString SupabaseSchema::changeLogName() const
{
    return m_table + QStringLiteral("_changelog");
}

QString SupabaseSchema::qualifiedChangeLog() const
{
    return qualified(changeLogName());
}

QString SupabaseSchema::columnList(const QString &alias) const
{
    QStringList columns;
    for (const FieldSpec &spec : FieldRegistry::fields())
        columns << (alias.isEmpty() ? QString() : alias + QLatin1Char('.')) + quoteIdent(spec.name);
    return columns.join(QStringLiteral(", "));
}

qint64 SupabaseSchema::advisoryKey(const QString &purpose) const
{
    const QByteArray digest = QCryptographicHash::hash(
        QStringLiteral("truthforge:%1:%2").arg(purpose, displayName()).toUtf8(), QCryptographicHash::Sha256);
    return qFromBigEndian<qint64>(digest.constData());
}

QString SupabaseSchema::touchFunctionSql() const
{
    // updated_at is each layer's own modification time (contract): stamped here unless the statement set it, so
    // the sync can carry the canonical layer's value and a person's UPDATE still moves it.
    const QString column = quoteIdent(field::UpdatedAt);
    return QStringLiteral(
               "CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql AS $tf$\n"
               "BEGIN\n"
               "  IF NEW.%2 IS NULL OR (TG_OP = 'UPDATE' AND NEW.%2 IS NOT DISTINCT FROM OLD.%2) THEN\n"
               "    NEW.%2 := clock_timestamp();\n"
               "  END IF;\n"
               "  RETURN NEW;\n"
               "END\n"
               "$tf$")
        .arg(qualified(m_table + QStringLiteral("_tf_touch")), column);
}

QString SupabaseSchema::captureFunctionSql() const
{
    // origin: the sync marks its own transactions with set_config('truthforge.origin', 'sync', true); after
    // such a transaction the setting reads '' in that session, hence nullif. A delete keeps the old row so it
    // can travel as a tombstone. NOTIFY is only a wake-up hint, its payload must stay below 8000 bytes (§1.4),
    // and the sync's own writes need no wake-up. SECURITY DEFINER: the change log has RLS on and no policies, so
    // a writer subject to RLS (a Data API role with its own policies on the contacts) still gets its change logged.
    const QString id = quoteIdent(field::ContactId);
    return QStringLiteral(
               "CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER\n"
               "SET search_path = pg_catalog, pg_temp AS $tf$\n"
               "DECLARE\n"
               "  v_origin text := coalesce(nullif(current_setting('truthforge.origin', true), ''), 'external');\n"
               "BEGIN\n"
               "  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.%3 IS DISTINCT FROM OLD.%3) THEN\n"
               "    INSERT INTO %2 (contact_id, op, origin, old_row) VALUES (OLD.%3, 'D', v_origin, to_jsonb(OLD));\n"
               "    IF v_origin <> 'sync' THEN\n"
               "      PERFORM pg_notify('%4', CASE WHEN octet_length(OLD.%3) < 7000 THEN OLD.%3 ELSE '' END);\n"
               "    END IF;\n"
               "  END IF;\n"
               "  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n"
               "    INSERT INTO %2 (contact_id, op, origin) VALUES (NEW.%3, left(TG_OP, 1), v_origin);\n"
               "    IF v_origin <> 'sync' THEN\n"
               "      PERFORM pg_notify('%4', CASE WHEN octet_length(NEW.%3) < 7000 THEN NEW.%3 ELSE '' END);\n"
               "    END IF;\n"
               "  END IF;\n"
               "  RETURN NULL;\n"
               "END\n"
               "$tf$")
        .arg(qualified(m_table + QStringLiteral("_tf_capture")), qualifiedChangeLog(), id, notifyChannel());
}

QString SupabaseSchema::truncateFunctionSql() const
{
    // TRUNCATE fires no row triggers: without this a person's TRUNCATE would vanish without tombstones.
    return QStringLiteral(
               "CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER\n"
               "SET search_path = pg_catalog, pg_temp AS $tf$\n"
               "BEGIN\n"
               "  INSERT INTO %2 (contact_id, op, origin, old_row)\n"
               "    SELECT t.%4, 'D', coalesce(nullif(current_setting('truthforge.origin', true), ''), 'external'),\n"
               "           to_jsonb(t) FROM %3 t;\n"
               "  PERFORM pg_notify('%5', '');\n"
               "  RETURN NULL;\n"
               "END\n"
               "$tf$")
        .arg(qualified(m_table + QStringLiteral("_tf_truncate")), qualifiedChangeLog(), qualifiedTable(),
             quoteIdent(field::ContactId), notifyChannel());
}

QStringList SupabaseSchema::provisionStatements() const
{
    QStringList columns;
    QStringList additions;
    for (const FieldSpec &spec : FieldRegistry::fields()) {
        columns << quoteIdent(spec.name) + QLatin1Char(' ') + spec.postgresType;
        additions << QStringLiteral("ADD COLUMN IF NOT EXISTS %1 %2").arg(quoteIdent(spec.name), spec.postgresType);
    }
    const QString table = qualifiedTable();
    const QString log = qualifiedChangeLog();
    const QString rowTrigger = QStringLiteral("CREATE OR REPLACE TRIGGER %1 %2 ON %3 FOR EACH %4 EXECUTE FUNCTION %5()");
    return {
        QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(quoteIdent(m_schema)),
        QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (%2)").arg(table, columns.join(QStringLiteral(", "))),
        QStringLiteral("ALTER TABLE %1 %2").arg(table, additions.join(QStringLiteral(", "))),
        // txid orders the log by transaction: see ChangeLogReader for why seq alone is not enough.
        QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (seq bigserial PRIMARY KEY, contact_id text NOT NULL, "
                       "op text NOT NULL CHECK (op IN ('I', 'U', 'D')), origin text NOT NULL, "
                       "txid xid8 NOT NULL DEFAULT pg_current_xact_id(), "
                       "changed_at timestamptz NOT NULL DEFAULT clock_timestamp(), old_row jsonb)")
            .arg(log),
        QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2 (txid, seq)")
            .arg(quoteIdent(changeLogName() + QStringLiteral("_txid_seq")), log),
        touchFunctionSql(),
        captureFunctionSql(),
        truncateFunctionSql(),
        rowTrigger.arg(touchTrigger(), QStringLiteral("BEFORE INSERT OR UPDATE"), table, QStringLiteral("ROW"),
                       qualified(m_table + QStringLiteral("_tf_touch"))),
        rowTrigger.arg(captureTrigger(), QStringLiteral("AFTER INSERT OR UPDATE OR DELETE"), table,
                       QStringLiteral("ROW"), qualified(m_table + QStringLiteral("_tf_capture"))),
        rowTrigger.arg(truncateTrigger(), QStringLiteral("BEFORE TRUNCATE"), table, QStringLiteral("STATEMENT"),
                       qualified(m_table + QStringLiteral("_tf_truncate"))),
        // Tables in an exposed schema are reachable through the Data API with the anon key: RLS on, no policies,
        // so only roles that bypass RLS (ours) see them (§1.5).
        QStringLiteral("ALTER TABLE %1 ENABLE ROW LEVEL SECURITY").arg(table),
        QStringLiteral("ALTER TABLE %1 ENABLE ROW LEVEL SECURITY").arg(log),
    };
}

} // namespace tf
