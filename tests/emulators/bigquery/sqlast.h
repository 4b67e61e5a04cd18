#pragma once

#include "bigquery/sqllexer.h"
#include "bigquery/sqltype.h"

#include <QList>
#include <QStringList>
#include <memory>
#include <optional>
#include <variant>

namespace tf::emu {

// The parsed form of the GoogleSQL subset the emulator runs (see SqlParser for the grammar).

enum class ExprKind {
    NullLiteral,
    BoolLiteral,    // text "true"/"false"
    IntegerLiteral, // text as written (decimal or 0x hex)
    FloatLiteral,
    StringLiteral,
    BytesLiteral,   // bytes
    TypedLiteral,   // DATE '...', TIMESTAMP '...', NUMERIC '...', JSON '...': type + text
    Default,        // DEFAULT in VALUES / SET
    Parameter,      // @text, or ? with index
    Path,           // identifiers a.b.c: a column, a range variable, struct fields
    FieldAccess,    // (expr).text
    Subscript,      // args[0][args[1]], text = OFFSET | SAFE_OFFSET | ORDINAL | SAFE_ORDINAL
    Unary,          // text = "-", "+", "~", "NOT"
    Binary,         // text = operator or AND / OR
    IsNull,         // negated: IS NOT NULL
    IsBool,         // text = TRUE/FALSE; negated: IS NOT TRUE
    IsDistinct,     // negated: IS NOT DISTINCT FROM
    Like,           // negated: NOT LIKE
    Between,        // args: value, low, high; negated: NOT BETWEEN
    InList,         // args[0] IN (args[1..]); negated
    InUnnest,       // args[0] IN UNNEST(args[1]); negated
    Function,       // text = upper-case name; distinct; star (COUNT(*)); safe (SAFE. prefix)
    Cast,           // args[0] AS type; safe = SAFE_CAST
    Case,           // operand (optional), args = when, then, when, then, ...; elseExpr (optional)
    ArrayLiteral,   // [args...], type = declared element type when written ARRAY<T>[...]
    StructLiteral,  // STRUCT(args) with names (empty = unnamed); type when written STRUCT<...>(...)
    Interval,       // INTERVAL args[0] text (unit), only as an argument of TIMESTAMP_ADD and friends
};

struct Expr;
using ExprPtr = std::shared_ptr<Expr>;

struct Expr {
    ExprKind kind = ExprKind::NullLiteral;
    SqlToken token; // where it starts, for messages
    QString text;
    QByteArray bytes;
    QStringList path;
    QStringList names;
    QList<ExprPtr> args;
    ExprPtr operand;
    ExprPtr elseExpr;
    std::optional<SqlType> type;
    bool negated = false;
    bool distinct = false;
    bool star = false;
    bool safe = false;
    int index = -1; // positional parameter number, 0-based
};

struct TableName {
    QStringList path; // 1 to 3 parts: [[project.]dataset.]table
    SqlToken token;
};

struct SelectStatement;

struct FromItem {
    enum class Kind { Table, Unnest, Subquery };
    Kind kind = Kind::Table;
    TableName table;
    ExprPtr unnest;
    std::shared_ptr<SelectStatement> subquery;
    QString alias; // empty when none was written
    SqlToken token;
};

struct SelectItem {
    ExprPtr expr;        // null for * and alias.*
    QString alias;       // written alias, or empty
    bool star = false;
    QString starOf;      // "T" for T.*
    SqlToken token;
};

struct OrderItem {
    ExprPtr expr;
    bool descending = false;
    std::optional<bool> nullsFirst;
};

struct SelectStatement {
    SqlToken token;
    bool distinct = false;
    QList<SelectItem> items;
    std::optional<FromItem> from;
    ExprPtr where;
    QList<ExprPtr> groupBy;
    ExprPtr having;
    QList<OrderItem> orderBy;
    ExprPtr limit;
    ExprPtr offset;
};

struct Assignment {
    QStringList target; // column, or alias.column
    ExprPtr value;
    SqlToken token;
};

struct InsertStatement {
    TableName table;
    QStringList columns; // empty: all columns in schema order
    QList<SqlToken> columnTokens;
    QList<QList<ExprPtr>> rows;
    std::shared_ptr<SelectStatement> select;
    SqlToken token;
};

struct UpdateStatement {
    TableName table;
    QString alias;
    QList<Assignment> assignments;
    ExprPtr where;
    SqlToken token;
};

struct DeleteStatement {
    TableName table;
    QString alias;
    ExprPtr where;
    SqlToken token;
};

struct TruncateStatement {
    TableName table;
    SqlToken token;
};

struct MergeClause {
    enum class Match { Matched, NotMatchedByTarget, NotMatchedBySource };
    enum class Action { Update, Delete, Insert };
    Match match = Match::Matched;
    Action action = Action::Update;
    ExprPtr condition;
    QList<Assignment> assignments;
    QStringList insertColumns;
    QList<SqlToken> insertColumnTokens;
    QList<ExprPtr> insertValues;
    bool insertRow = false; // INSERT ROW
    SqlToken token;
};

struct MergeStatement {
    TableName target;
    QString targetAlias;
    FromItem source;
    ExprPtr on;
    QList<MergeClause> clauses;
    SqlToken token;
};

using Statement = std::variant<SelectStatement, InsertStatement, UpdateStatement, DeleteStatement, TruncateStatement,
                               MergeStatement>;

} // namespace tf::emu
