#pragma once

#include "bigquery/querycontext.h"
#include "bigquery/scope.h"
#include "bigquery/sqlast.h"
#include "bigquery/sqlbindings.h"
#include "bigquery/typedsql.h"

#include <functional>

namespace tf::emu {

// Translates GoogleSQL expressions to SQLite SQL over the storage forms (ScalarCodec, ValueCodec), typing every
// node as GoogleSQL does: name resolution, literal and parameter coercion, supertypes, the operators' signatures,
// which types compare and order. What GoogleSQL would refuse, or what the emulator cannot do exactly, throws
// GoogleError invalidQuery with a position; nothing is approximated.
class ExpressionTranslator
{
public:
    ExpressionTranslator(const QueryContext &context, SqlBindings &bindings);

    // Where the expressions come from ("WHERE clause", "SELECT list", ...) and whether aggregates may appear.
    void beginClause(const QString &clause, bool aggregatesAllowed);
    // Inside an aggregate query: the translated GROUP BY expressions a column reference must be part of.
    void setGroupKeys(const QStringList &keys);
    QString groupKey(const QString &sql) const; // the form GROUP BY expressions are compared in

    TypedSql translate(const ExprPtr &expr, const Scope &scope);
    // An expression that must be BOOL ("WHERE clause should return type BOOL, but returns INT64").
    TypedSql condition(const ExprPtr &expr, const Scope &scope, const QString &clause);

    // Column references outside any aggregate and outside the group keys, since the last call: a SELECT list item of
    // an aggregate query must have none.
    struct Reference {
        QString name;
        SqlToken token;
    };
    QList<Reference> takeUngrouped();
    bool sawAggregate() const { return m_sawAggregate; }

    // The value converted to `to` by GoogleSQL's implicit coercion, or nullopt when none exists.
    std::optional<TypedSql> coerce(const TypedSql &value, const SqlType &to);
    // coerce(), or GoogleError invalidQuery with message(value type).
    TypedSql coerceOrFail(const TypedSql &value, const SqlType &to, const std::function<QString(const SqlType &)> &message);
    // The common supertype of the values (GoogleSQL's supertype rules, untyped NULL fits anything), or nullopt.
    std::optional<SqlType> supertype(const QList<TypedSql> &values) const;

    TypedSql bind(const QVariant &storage, const SqlType &type, TypedSql::Origin origin = TypedSql::Origin::Computed);
    // SQL converting a value read by json_each/json_extract from a nested form into the storage form of `type`.
    static QString elementSql(const QString &raw, const SqlType &type);
    static QString typeId(const SqlType &type); // the TypeRegistry number as SQL text

    const QueryContext &context() const { return m_context; }
    [[noreturn]] static void fail(const QString &message, const SqlToken &at);

private:
    friend class FunctionTranslator;

    TypedSql translateNode(const Expr &expr, const Scope &scope);
    TypedSql literal(const Expr &expr);
    TypedSql parameter(const Expr &expr);
    TypedSql path(const Expr &expr, const Scope &scope);
    TypedSql fieldAccess(const TypedSql &base, const QString &field, const SqlToken &at);
    TypedSql subscript(const Expr &expr, const Scope &scope);
    TypedSql unary(const Expr &expr, const Scope &scope);
    TypedSql binary(const Expr &expr, const Scope &scope);
    TypedSql comparison(const Expr &expr, const TypedSql &left, const TypedSql &right);
    TypedSql arithmetic(const Expr &expr, const TypedSql &left, const TypedSql &right);
    TypedSql predicate(const Expr &expr, const Scope &scope);
    TypedSql inUnnest(const Expr &expr, const Scope &scope);
    TypedSql cast(const Expr &expr, const Scope &scope);
    TypedSql caseExpression(const Expr &expr, const Scope &scope);
    TypedSql arrayLiteral(const Expr &expr, const Scope &scope);
    TypedSql structLiteral(const Expr &expr, const Scope &scope);
    // Coerces all values to their supertype, or fails with "No matching signature for operator ...".
    QList<TypedSql> unify(const QList<TypedSql> &values, const QString &what, const SqlToken &at);
    bool implicitlyCoercible(const TypedSql &value, const SqlType &to) const;
    TypedSql boolOperand(const TypedSql &value, const QString &op, const SqlToken &at);

    const QueryContext &m_context;
    SqlBindings &m_bindings;
    QString m_clause;
    bool m_aggregatesAllowed = false;
    int m_aggregateDepth = 0;
    bool m_sawAggregate = false;
    QStringList m_groupKeys;
    QList<Reference> m_ungrouped;
};

} // namespace tf::emu
