#include "bigquery/sqlparser.h"

#include "bigquery/googleerror.h"

#include <QSet>

namespace tf::emu {

namespace {

// GoogleSQL's reserved keywords (lexical structure doc): never unquoted names.
const QSet<QString> &reservedWords()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        for (const char *word :
             {"ALL", "AND", "ANY", "ARRAY", "AS", "ASC", "ASSERT_ROWS_MODIFIED", "AT", "BETWEEN", "BY", "CASE", "CAST",
              "COLLATE", "CONTAINS", "CREATE", "CROSS", "CUBE", "CURRENT", "DEFAULT", "DEFINE", "DESC", "DISTINCT",
              "ELSE", "END", "ENUM", "ESCAPE", "EXCEPT", "EXCLUDE", "EXISTS", "EXTRACT", "FALSE", "FETCH", "FOLLOWING",
              "FOR", "FROM", "FULL", "GROUP", "GROUPING", "GROUPS", "HASH", "HAVING", "IF", "IGNORE", "IN", "INNER",
              "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "LOOKUP", "MERGE",
              "NATURAL", "NEW", "NO", "NOT", "NULL", "NULLS", "OF", "ON", "OR", "ORDER", "OUTER", "OVER", "PARTITION",
              "PRECEDING", "PROTO", "QUALIFY", "RANGE", "RECURSIVE", "RESPECT", "RIGHT", "ROLLUP", "ROWS", "SELECT",
              "SET", "SOME", "STRUCT", "TABLESAMPLE", "THEN", "TO", "TREAT", "TRUE", "UNBOUNDED", "UNION", "UNNEST",
              "USING", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN"})
            set.insert(QString::fromLatin1(word));
        return set;
    }();
    return words;
}

class Parser
{
public:
    explicit Parser(QList<SqlToken> tokens)
        : m_tokens(std::move(tokens))
    {
    }

    Statement statement()
    {
        Statement result = statementBody();
        bool semicolon = false;
        while (acceptSymbol(";"))
            semicolon = true;
        if (peek().kind != TokenKind::End) {
            if (semicolon)
                unsupported(QStringLiteral("scripts (more than one statement per query)"), peek());
            expected(QStringLiteral("end of input"));
        }
        return result;
    }

private:
    // ---- tokens --------------------------------------------------------------------------------------------------

    const SqlToken &peek(int ahead = 0) const
    {
        const int at = std::min<int>(m_pos + ahead, int(m_tokens.size()) - 1);
        return m_tokens.at(at);
    }

    SqlToken next()
    {
        const SqlToken token = peek();
        if (m_pos < m_tokens.size() - 1)
            ++m_pos;
        return token;
    }

    bool acceptKeyword(const char *keyword)
    {
        if (!peek().isKeyword(keyword))
            return false;
        next();
        return true;
    }

    bool acceptSymbol(const char *symbol)
    {
        if (!peek().isSymbol(symbol))
            return false;
        next();
        return true;
    }

    SqlToken expectKeyword(const char *keyword)
    {
        if (!peek().isKeyword(keyword))
            expected(QString::fromLatin1(keyword));
        return next();
    }

    SqlToken expectSymbol(const char *symbol)
    {
        if (!peek().isSymbol(symbol))
            expected(QLatin1Char('"') + QString::fromLatin1(symbol) + QLatin1Char('"'));
        return next();
    }

    static bool reserved(const SqlToken &token)
    {
        return token.kind == TokenKind::Identifier && reservedWords().contains(token.text.toUpper());
    }

    static QString describe(const SqlToken &token)
    {
        switch (token.kind) {
        case TokenKind::End:
            return QStringLiteral("end of statement");
        case TokenKind::Identifier:
            if (reserved(token))
                return QStringLiteral("keyword ") + token.text.toUpper();
            return QStringLiteral("identifier \"%1\"").arg(token.text);
        case TokenKind::QuotedIdentifier:
            return QStringLiteral("identifier `%1`").arg(token.text);
        case TokenKind::String:
            return QStringLiteral("string literal \"%1\"").arg(token.text);
        case TokenKind::Bytes:
            return QStringLiteral("bytes literal");
        case TokenKind::Integer:
            return QStringLiteral("integer literal \"%1\"").arg(token.text);
        case TokenKind::Float:
            return QStringLiteral("floating point literal \"%1\"").arg(token.text);
        case TokenKind::NamedParameter:
            return QStringLiteral("query parameter \"@%1\"").arg(token.text);
        case TokenKind::PositionalParameter:
            return QStringLiteral("\"?\"");
        case TokenKind::Symbol:
            return QLatin1Char('"') + token.text + QLatin1Char('"');
        }
        return QString();
    }

    [[noreturn]] void unexpected(const SqlToken &token) const
    {
        if (token.kind == TokenKind::End)
            throw GoogleError::invalidQuery(QStringLiteral("Syntax error: Unexpected end of statement at %1").arg(token.position()));
        throw GoogleError::invalidQuery(QStringLiteral("Syntax error: Unexpected %1 at %2").arg(describe(token), token.position()));
    }

    [[noreturn]] void expected(const QString &what) const
    {
        throw GoogleError::invalidQuery(QStringLiteral("Syntax error: Expected %1 but got %2 at %3")
                                            .arg(what, describe(peek()), peek().position()));
    }

    [[noreturn]] static void unsupported(const QString &what, const SqlToken &token)
    {
        throw GoogleError::invalidQuery(QStringLiteral("tf-bigquery-emulator does not support %1 at %2").arg(what, token.position()));
    }

    // An identifier usable as a name: unquoted and not reserved, or quoted.
    bool atName() const
    {
        const SqlToken &token = peek();
        return token.kind == TokenKind::QuotedIdentifier || (token.kind == TokenKind::Identifier && !reserved(token));
    }

    QString name()
    {
        if (!atName())
            unexpected(peek());
        return next().text;
    }

    // After a dot GoogleSQL takes reserved keywords as names too (T.by, S.select).
    QString nameAfterDot()
    {
        if (peek().kind != TokenKind::Identifier && peek().kind != TokenKind::QuotedIdentifier)
            unexpected(peek());
        return next().text;
    }

    // ---- statements ----------------------------------------------------------------------------------------------

    Statement statementBody()
    {
        const SqlToken &first = peek();
        if (first.isKeyword("SELECT") || first.isSymbol("("))
            return selectStatement();
        if (first.isKeyword("INSERT"))
            return insertStatement();
        if (first.isKeyword("UPDATE"))
            return updateStatement();
        if (first.isKeyword("DELETE"))
            return deleteStatement();
        if (first.isKeyword("MERGE"))
            return mergeStatement();
        if (first.isKeyword("TRUNCATE"))
            return truncateStatement();
        if (first.isKeyword("WITH"))
            unsupported(QStringLiteral("WITH clauses"), first);
        for (const char *ddl : {"CREATE", "DROP", "ALTER", "DECLARE", "BEGIN", "CALL", "EXPORT", "LOAD", "GRANT", "REVOKE"}) {
            if (first.isKeyword(ddl))
                unsupported(QStringLiteral("%1 statements (create tables with tables.insert)").arg(first.text.toUpper()), first);
        }
        unexpected(first);
    }

    SelectStatement selectStatement()
    {
        if (peek().isSymbol("(")) {
            next();
            SelectStatement inner = selectStatement();
            expectSymbol(")");
            rejectSetOperation();
            return inner;
        }
        SelectStatement select;
        select.token = expectKeyword("SELECT");
        if (peek().isKeyword("AS") && (peek(1).isKeyword("STRUCT") || peek(1).isKeyword("VALUE")))
            unsupported(QStringLiteral("SELECT AS STRUCT/VALUE"), peek());
        if (acceptKeyword("DISTINCT"))
            select.distinct = true;
        else
            acceptKeyword("ALL");
        do {
            select.items.append(selectItem());
        } while (acceptSymbol(","));
        if (acceptKeyword("FROM")) {
            select.from = fromItem();
            if (peek().isSymbol(",") || peek().isKeyword("JOIN") || peek().isKeyword("LEFT") || peek().isKeyword("INNER")
                || peek().isKeyword("CROSS") || peek().isKeyword("FULL") || peek().isKeyword("RIGHT"))
                unsupported(QStringLiteral("joins"), peek());
        }
        if (acceptKeyword("WHERE"))
            select.where = expression();
        if (peek().isKeyword("GROUP")) {
            next();
            expectKeyword("BY");
            do {
                select.groupBy.append(expression());
            } while (acceptSymbol(","));
        }
        if (acceptKeyword("HAVING"))
            select.having = expression();
        if (peek().isKeyword("QUALIFY") || peek().isKeyword("WINDOW"))
            unsupported(peek().text.toUpper(), peek());
        if (peek().isKeyword("ORDER")) {
            next();
            expectKeyword("BY");
            do {
                OrderItem item;
                item.expr = expression();
                if (acceptKeyword("DESC"))
                    item.descending = true;
                else
                    acceptKeyword("ASC");
                if (acceptKeyword("NULLS")) {
                    if (acceptKeyword("FIRST"))
                        item.nullsFirst = true;
                    else if (acceptKeyword("LAST"))
                        item.nullsFirst = false;
                    else
                        expected(QStringLiteral("keyword FIRST or keyword LAST"));
                }
                select.orderBy.append(item);
            } while (acceptSymbol(","));
        }
        if (acceptKeyword("LIMIT")) {
            select.limit = expression();
            if (acceptKeyword("OFFSET"))
                select.offset = expression();
        }
        rejectSetOperation();
        return select;
    }

    void rejectSetOperation()
    {
        for (const char *word : {"UNION", "INTERSECT", "EXCEPT"}) {
            if (peek().isKeyword(word))
                unsupported(QStringLiteral("set operations (%1)").arg(QString::fromLatin1(word)), peek());
        }
    }

    SelectItem selectItem()
    {
        SelectItem item;
        item.token = peek();
        if (acceptSymbol("*")) {
            item.star = true;
            rejectStarModifier();
            return item;
        }
        if (atName() && peek(1).isSymbol(".") && peek(2).isSymbol("*")) {
            item.star = true;
            item.starOf = next().text;
            next();
            next();
            rejectStarModifier();
            return item;
        }
        item.expr = expression();
        if (acceptKeyword("AS"))
            item.alias = name();
        else if (atName())
            item.alias = next().text;
        return item;
    }

    void rejectStarModifier()
    {
        if (peek().isKeyword("EXCEPT") || peek().isKeyword("REPLACE"))
            unsupported(QStringLiteral("SELECT * %1").arg(peek().text.toUpper()), peek());
    }

    FromItem fromItem()
    {
        FromItem item;
        item.token = peek();
        if (peek().isKeyword("UNNEST")) {
            next();
            expectSymbol("(");
            item.kind = FromItem::Kind::Unnest;
            item.unnest = expression();
            expectSymbol(")");
        } else if (peek().isSymbol("(")) {
            next();
            item.kind = FromItem::Kind::Subquery;
            item.subquery = std::make_shared<SelectStatement>(selectStatement());
            expectSymbol(")");
        } else {
            item.table = tableName();
        }
        if (acceptKeyword("AS"))
            item.alias = name();
        else if (atName() && !peek().isKeyword("WITH"))
            item.alias = next().text;
        if (peek().isKeyword("WITH") && peek(1).isKeyword("OFFSET"))
            unsupported(QStringLiteral("UNNEST ... WITH OFFSET"), peek());
        if (peek().isKeyword("FOR") || peek().isKeyword("TABLESAMPLE"))
            unsupported(peek().text.toUpper(), peek());
        return item;
    }

    TableName tableName()
    {
        TableName table;
        table.token = peek();
        do {
            const SqlToken token = peek();
            if (token.kind == TokenKind::QuotedIdentifier) {
                next();
                table.path += token.text.split(QLatin1Char('.'));
            } else if (token.kind == TokenKind::Identifier && !reserved(token)) {
                next();
                table.path.append(token.text);
            } else {
                unexpected(token);
            }
        } while (acceptSymbol("."));
        if (table.path.size() > 3 || table.path.contains(QString()))
            throw GoogleError::invalidQuery(QStringLiteral("Invalid table name: %1 at %2").arg(table.path.join(QLatin1Char('.')), table.token.position()));
        return table;
    }

    QString optionalAlias()
    {
        if (acceptKeyword("AS"))
            return name();
        if (atName())
            return next().text;
        return QString();
    }

    InsertStatement insertStatement()
    {
        InsertStatement insert;
        insert.token = expectKeyword("INSERT");
        acceptKeyword("INTO");
        insert.table = tableName();
        if (peek().isSymbol("(") && !peek(1).isKeyword("SELECT")) {
            next();
            do {
                insert.columnTokens.append(peek());
                insert.columns.append(name());
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        if (acceptKeyword("VALUES")) {
            do {
                expectSymbol("(");
                QList<ExprPtr> row;
                do {
                    row.append(valueExpression());
                } while (acceptSymbol(","));
                expectSymbol(")");
                insert.rows.append(row);
            } while (acceptSymbol(","));
        } else if (peek().isKeyword("SELECT") || peek().isSymbol("(")) {
            insert.select = std::make_shared<SelectStatement>(selectStatement());
        } else {
            expected(QStringLiteral("keyword VALUES or keyword SELECT"));
        }
        return insert;
    }

    ExprPtr valueExpression()
    {
        if (peek().isKeyword("DEFAULT")) {
            auto expr = std::make_shared<Expr>();
            expr->kind = ExprKind::Default;
            expr->token = next();
            return expr;
        }
        return expression();
    }

    QList<Assignment> assignments()
    {
        QList<Assignment> list;
        do {
            Assignment assignment;
            assignment.token = peek();
            assignment.target.append(name());
            while (acceptSymbol("."))
                assignment.target.append(nameAfterDot());
            expectSymbol("=");
            assignment.value = valueExpression();
            list.append(assignment);
        } while (acceptSymbol(","));
        return list;
    }

    UpdateStatement updateStatement()
    {
        UpdateStatement update;
        update.token = expectKeyword("UPDATE");
        update.table = tableName();
        update.alias = optionalAlias();
        expectKeyword("SET");
        update.assignments = assignments();
        if (peek().isKeyword("FROM"))
            unsupported(QStringLiteral("UPDATE ... FROM"), peek());
        if (!acceptKeyword("WHERE"))
            throw GoogleError::invalidQuery(QStringLiteral("UPDATE must have a WHERE clause at %1").arg(update.token.position()));
        update.where = expression();
        return update;
    }

    DeleteStatement deleteStatement()
    {
        DeleteStatement remove;
        remove.token = expectKeyword("DELETE");
        acceptKeyword("FROM");
        remove.table = tableName();
        remove.alias = optionalAlias();
        if (!acceptKeyword("WHERE"))
            throw GoogleError::invalidQuery(QStringLiteral("DELETE must have a WHERE clause at %1").arg(remove.token.position()));
        remove.where = expression();
        return remove;
    }

    TruncateStatement truncateStatement()
    {
        TruncateStatement truncate;
        truncate.token = expectKeyword("TRUNCATE");
        expectKeyword("TABLE");
        truncate.table = tableName();
        return truncate;
    }

    MergeStatement mergeStatement()
    {
        MergeStatement merge;
        merge.token = expectKeyword("MERGE");
        acceptKeyword("INTO");
        merge.target = tableName();
        merge.targetAlias = optionalAlias();
        expectKeyword("USING");
        merge.source = fromItem();
        expectKeyword("ON");
        merge.on = expression();
        while (peek().isKeyword("WHEN"))
            merge.clauses.append(mergeClause());
        if (merge.clauses.isEmpty())
            expected(QStringLiteral("keyword WHEN"));
        return merge;
    }

    MergeClause mergeClause()
    {
        MergeClause clause;
        clause.token = expectKeyword("WHEN");
        if (acceptKeyword("NOT")) {
            expectKeyword("MATCHED");
            clause.match = MergeClause::Match::NotMatchedByTarget;
            if (acceptKeyword("BY")) {
                if (acceptKeyword("SOURCE"))
                    clause.match = MergeClause::Match::NotMatchedBySource;
                else
                    expectKeyword("TARGET");
            }
        } else {
            expectKeyword("MATCHED");
        }
        if (acceptKeyword("AND"))
            clause.condition = expression();
        expectKeyword("THEN");
        if (clause.match == MergeClause::Match::NotMatchedByTarget) {
            expectKeyword("INSERT");
            clause.action = MergeClause::Action::Insert;
            if (acceptSymbol("(")) {
                do {
                    clause.insertColumnTokens.append(peek());
                    clause.insertColumns.append(name());
                } while (acceptSymbol(","));
                expectSymbol(")");
            }
            if (acceptKeyword("ROW")) {
                clause.insertRow = true;
            } else {
                expectKeyword("VALUES");
                expectSymbol("(");
                do {
                    clause.insertValues.append(valueExpression());
                } while (acceptSymbol(","));
                expectSymbol(")");
            }
            return clause;
        }
        if (acceptKeyword("DELETE")) {
            clause.action = MergeClause::Action::Delete;
            return clause;
        }
        expectKeyword("UPDATE");
        expectKeyword("SET");
        clause.assignments = assignments();
        return clause;
    }

    // ---- expressions ---------------------------------------------------------------------------------------------

    static ExprPtr node(ExprKind kind, const SqlToken &token, const QString &text = QString())
    {
        auto expr = std::make_shared<Expr>();
        expr->kind = kind;
        expr->token = token;
        expr->text = text;
        return expr;
    }

    // GoogleSQL places an operator's errors at the start of its left operand.
    static ExprPtr binary(const QString &op, ExprPtr left, ExprPtr right)
    {
        ExprPtr expr = node(ExprKind::Binary, left->token, op);
        expr->args = {std::move(left), std::move(right)};
        return expr;
    }

    ExprPtr expression() { return orExpression(); }

    ExprPtr orExpression()
    {
        ExprPtr left = andExpression();
        while (acceptKeyword("OR")) {
            left = binary(QStringLiteral("OR"), left, andExpression());
        }
        return left;
    }

    ExprPtr andExpression()
    {
        ExprPtr left = notExpression();
        while (acceptKeyword("AND")) {
            left = binary(QStringLiteral("AND"), left, notExpression());
        }
        return left;
    }

    ExprPtr notExpression()
    {
        if (peek().isKeyword("NOT")) {
            const SqlToken token = next();
            ExprPtr expr = node(ExprKind::Unary, token, QStringLiteral("NOT"));
            expr->args = {notExpression()};
            return expr;
        }
        return comparison();
    }

    ExprPtr comparison()
    {
        ExprPtr left = bitOr();
        const SqlToken token = peek();
        for (const char *op : {"=", "!=", "<>", "<", "<=", ">", ">="}) {
            if (token.isSymbol(op)) {
                next();
                return binary(token.text == QLatin1String("<>") ? QStringLiteral("!=") : token.text, left, bitOr());
            }
        }
        if (token.isKeyword("IS")) {
            next();
            const bool negated = acceptKeyword("NOT");
            ExprPtr expr;
            if (acceptKeyword("NULL")) {
                expr = node(ExprKind::IsNull, left->token);
            } else if (peek().isKeyword("TRUE") || peek().isKeyword("FALSE")) {
                expr = node(ExprKind::IsBool, left->token, next().text.toUpper());
            } else if (acceptKeyword("DISTINCT")) {
                expectKeyword("FROM");
                expr = node(ExprKind::IsDistinct, left->token);
                expr->args = {left, bitOr()};
                expr->negated = negated;
                return expr;
            } else {
                expected(QStringLiteral("keyword NULL"));
            }
            expr->args = {left};
            expr->negated = negated;
            return expr;
        }
        bool negated = false;
        if (token.isKeyword("NOT") && (peek(1).isKeyword("LIKE") || peek(1).isKeyword("IN") || peek(1).isKeyword("BETWEEN"))) {
            next();
            negated = true;
        }
        if (acceptKeyword("LIKE")) {
            ExprPtr expr = node(ExprKind::Like, left->token);
            expr->args = {left, bitOr()};
            expr->negated = negated;
            return expr;
        }
        if (acceptKeyword("BETWEEN")) {
            ExprPtr expr = node(ExprKind::Between, left->token);
            ExprPtr low = bitOr();
            expectKeyword("AND");
            expr->args = {left, low, bitOr()};
            expr->negated = negated;
            return expr;
        }
        if (acceptKeyword("IN")) {
            ExprPtr expr;
            if (acceptKeyword("UNNEST")) {
                expectSymbol("(");
                expr = node(ExprKind::InUnnest, left->token);
                expr->args = {left, expression()};
                expectSymbol(")");
            } else {
                expectSymbol("(");
                if (peek().isKeyword("SELECT"))
                    unsupported(QStringLiteral("IN (subquery)"), peek());
                expr = node(ExprKind::InList, left->token);
                expr->args = {left};
                do {
                    expr->args.append(expression());
                } while (acceptSymbol(","));
                expectSymbol(")");
            }
            expr->negated = negated;
            return expr;
        }
        return left;
    }

    ExprPtr bitOr()
    {
        ExprPtr left = bitXor();
        while (peek().isSymbol("|")) {
            const SqlToken token = next();
            left = binary(token.text, left, bitXor());
        }
        return left;
    }

    ExprPtr bitXor()
    {
        ExprPtr left = bitAnd();
        while (peek().isSymbol("^")) {
            const SqlToken token = next();
            left = binary(token.text, left, bitAnd());
        }
        return left;
    }

    ExprPtr bitAnd()
    {
        ExprPtr left = shift();
        while (peek().isSymbol("&")) {
            const SqlToken token = next();
            left = binary(token.text, left, shift());
        }
        return left;
    }

    ExprPtr shift()
    {
        ExprPtr left = additive();
        while (peek().isSymbol("<<") || peek().isSymbol(">>")) {
            const SqlToken token = next();
            left = binary(token.text, left, additive());
        }
        return left;
    }

    ExprPtr additive()
    {
        ExprPtr left = multiplicative();
        while (peek().isSymbol("+") || peek().isSymbol("-")) {
            const SqlToken token = next();
            left = binary(token.text, left, multiplicative());
        }
        return left;
    }

    ExprPtr multiplicative()
    {
        ExprPtr left = unary();
        while (peek().isSymbol("*") || peek().isSymbol("/") || peek().isSymbol("||")) {
            const SqlToken token = next();
            left = binary(token.text, left, unary());
        }
        return left;
    }

    ExprPtr unary()
    {
        if (peek().isSymbol("-") || peek().isSymbol("+") || peek().isSymbol("~")) {
            const SqlToken token = next();
            // A minus sign in front of a number is part of the literal (so -9223372036854775808 is an INT64).
            if (token.text == QLatin1String("-") && (peek().kind == TokenKind::Integer || peek().kind == TokenKind::Float)) {
                ExprPtr literal = postfix(primary());
                if (literal->kind == ExprKind::IntegerLiteral || literal->kind == ExprKind::FloatLiteral) {
                    literal->text.prepend(QLatin1Char('-'));
                    literal->token = token;
                    return literal;
                }
                ExprPtr expr = node(ExprKind::Unary, token, token.text);
                expr->args = {literal};
                return expr;
            }
            ExprPtr expr = node(ExprKind::Unary, token, token.text);
            expr->args = {unary()};
            return expr;
        }
        return postfix(primary());
    }

    ExprPtr postfix(ExprPtr expr)
    {
        for (;;) {
            if (peek().isSymbol(".")) {
                const SqlToken dot = next();
                const QString field = nameAfterDot();
                if (expr->kind == ExprKind::Path) {
                    expr->path.append(field);
                } else {
                    ExprPtr access = node(ExprKind::FieldAccess, dot, field);
                    access->args = {expr};
                    expr = access;
                }
            } else if (peek().isSymbol("[")) {
                const SqlToken bracket = next();
                ExprPtr subscript = node(ExprKind::Subscript, bracket, QStringLiteral("OFFSET"));
                const SqlToken &mode = peek();
                if (peek(1).isSymbol("(") && (mode.isKeyword("OFFSET") || mode.isKeyword("SAFE_OFFSET")
                                               || mode.isKeyword("ORDINAL") || mode.isKeyword("SAFE_ORDINAL"))) {
                    subscript->text = next().text.toUpper();
                    next();
                    subscript->args = {expr, expression()};
                    expectSymbol(")");
                } else {
                    subscript->args = {expr, expression()};
                }
                expectSymbol("]");
                expr = subscript;
            } else {
                return expr;
            }
        }
    }

    ExprPtr primary()
    {
        const SqlToken token = peek();
        switch (token.kind) {
        case TokenKind::Integer:
            next();
            return node(ExprKind::IntegerLiteral, token, token.text);
        case TokenKind::Float:
            next();
            return node(ExprKind::FloatLiteral, token, token.text);
        case TokenKind::String:
            next();
            return node(ExprKind::StringLiteral, token, token.text);
        case TokenKind::Bytes: {
            next();
            ExprPtr expr = node(ExprKind::BytesLiteral, token);
            expr->bytes = token.bytes;
            return expr;
        }
        case TokenKind::NamedParameter:
            next();
            return node(ExprKind::Parameter, token, token.text);
        case TokenKind::PositionalParameter: {
            next();
            ExprPtr expr = node(ExprKind::Parameter, token);
            expr->index = m_positional++;
            return expr;
        }
        case TokenKind::QuotedIdentifier: {
            next();
            ExprPtr expr = node(ExprKind::Path, token);
            expr->path = {token.text};
            return expr;
        }
        case TokenKind::Symbol:
            if (token.isSymbol("(")) {
                next();
                if (peek().isKeyword("SELECT"))
                    unsupported(QStringLiteral("subqueries in expressions"), peek());
                ExprPtr inner = expression();
                if (peek().isSymbol(",")) {
                    ExprPtr tuple = node(ExprKind::StructLiteral, token);
                    tuple->args = {inner};
                    tuple->names = {QString()};
                    while (acceptSymbol(",")) {
                        tuple->args.append(expression());
                        tuple->names.append(QString());
                    }
                    expectSymbol(")");
                    return tuple;
                }
                expectSymbol(")");
                return inner;
            }
            if (token.isSymbol("["))
                return arrayLiteral(token, std::nullopt);
            unexpected(token);
        case TokenKind::Identifier:
            return identifierExpression();
        case TokenKind::End:
            unexpected(token);
        }
        unexpected(token);
    }

    ExprPtr arrayLiteral(const SqlToken &token, std::optional<SqlType> element)
    {
        expectSymbol("[");
        ExprPtr expr = node(ExprKind::ArrayLiteral, token);
        expr->type = element;
        if (!peek().isSymbol("]")) {
            do {
                expr->args.append(expression());
            } while (acceptSymbol(","));
        }
        expectSymbol("]");
        return expr;
    }

    ExprPtr identifierExpression()
    {
        const SqlToken token = peek();
        const QString upper = token.text.toUpper();
        if (upper == QLatin1String("NULL")) {
            next();
            return node(ExprKind::NullLiteral, token);
        }
        if (upper == QLatin1String("TRUE") || upper == QLatin1String("FALSE")) {
            next();
            return node(ExprKind::BoolLiteral, token, upper.toLower());
        }
        static const QSet<QString> typedLiterals{QStringLiteral("DATE"), QStringLiteral("DATETIME"), QStringLiteral("TIME"),
                                                 QStringLiteral("TIMESTAMP"), QStringLiteral("NUMERIC"), QStringLiteral("BIGNUMERIC"),
                                                 QStringLiteral("DECIMAL"), QStringLiteral("BIGDECIMAL"), QStringLiteral("JSON")};
        if (typedLiterals.contains(upper) && peek(1).kind == TokenKind::String) {
            next();
            ExprPtr expr = node(ExprKind::TypedLiteral, token, next().text);
            expr->type = SqlType::scalar(*SqlType::scalarKind(upper));
            return expr;
        }
        if (upper == QLatin1String("CAST") || upper == QLatin1String("SAFE_CAST")) {
            next();
            expectSymbol("(");
            ExprPtr expr = node(ExprKind::Cast, token);
            expr->safe = upper == QLatin1String("SAFE_CAST");
            expr->args = {expression()};
            expectKeyword("AS");
            expr->type = type();
            if (peek().isKeyword("FORMAT"))
                unsupported(QStringLiteral("CAST ... FORMAT"), peek());
            expectSymbol(")");
            return expr;
        }
        if (upper == QLatin1String("CASE"))
            return caseExpression();
        if (upper == QLatin1String("ARRAY")) {
            next();
            if (peek().isSymbol("("))
                unsupported(QStringLiteral("ARRAY(subquery)"), peek());
            std::optional<SqlType> element;
            if (acceptSymbol("<")) {
                element = type();
                closeAngle();
            }
            return arrayLiteral(token, element);
        }
        if (upper == QLatin1String("STRUCT")) {
            next();
            std::optional<SqlType> declared;
            if (peek().isSymbol("<"))
                declared = structType();
            expectSymbol("(");
            ExprPtr expr = node(ExprKind::StructLiteral, token);
            expr->type = declared;
            if (!peek().isSymbol(")")) {
                do {
                    expr->args.append(expression());
                    expr->names.append(acceptKeyword("AS") ? name() : QString());
                } while (acceptSymbol(","));
            }
            expectSymbol(")");
            return expr;
        }
        if (upper == QLatin1String("INTERVAL")) {
            next();
            ExprPtr expr = node(ExprKind::Interval, token);
            expr->args = {additive()};
            if (peek().kind != TokenKind::Identifier)
                expected(QStringLiteral("date part"));
            expr->text = next().text.toUpper();
            return expr;
        }
        if (upper == QLatin1String("EXISTS"))
            unsupported(QStringLiteral("EXISTS subqueries"), token);
        if (upper == QLatin1String("EXTRACT"))
            unsupported(QStringLiteral("EXTRACT"), token);
        // Function calls, including IF() and the keyword functions CURRENT_TIMESTAMP / CURRENT_DATE without ().
        if (peek(1).isSymbol("(") && (!reserved(token) || upper == QLatin1String("IF") || upper == QLatin1String("LEFT")
                                      || upper == QLatin1String("RIGHT")))
            return functionCall(upper, token, false);
        if (upper == QLatin1String("SAFE") && peek(1).isSymbol(".") && peek(2).kind == TokenKind::Identifier
            && peek(3).isSymbol("(")) {
            next();
            next();
            return functionCall(peek().text.toUpper(), token, true);
        }
        if (upper == QLatin1String("CURRENT_TIMESTAMP") || upper == QLatin1String("CURRENT_DATE")
            || upper == QLatin1String("CURRENT_DATETIME") || upper == QLatin1String("CURRENT_TIME")) {
            next();
            return node(ExprKind::Function, token, upper);
        }
        if (reserved(token))
            unexpected(token);
        next();
        ExprPtr expr = node(ExprKind::Path, token);
        expr->path = {token.text};
        return expr;
    }

    ExprPtr functionCall(const QString &upper, const SqlToken &token, bool safe)
    {
        next();
        expectSymbol("(");
        ExprPtr expr = node(ExprKind::Function, token, upper);
        expr->safe = safe;
        if (acceptSymbol("*")) {
            expr->star = true;
            expectSymbol(")");
            return expr;
        }
        if (acceptKeyword("DISTINCT"))
            expr->distinct = true;
        if (!peek().isSymbol(")")) {
            do {
                expr->args.append(expression());
            } while (acceptSymbol(","));
        }
        for (const char *word : {"ORDER", "LIMIT", "IGNORE", "RESPECT"}) {
            if (peek().isKeyword(word))
                unsupported(QStringLiteral("%1 inside function calls").arg(QString::fromLatin1(word)), peek());
        }
        expectSymbol(")");
        if (peek().isKeyword("OVER"))
            unsupported(QStringLiteral("window functions (OVER)"), peek());
        return expr;
    }

    ExprPtr caseExpression()
    {
        ExprPtr expr = node(ExprKind::Case, next());
        if (!peek().isKeyword("WHEN"))
            expr->operand = expression();
        while (acceptKeyword("WHEN")) {
            expr->args.append(expression());
            expectKeyword("THEN");
            expr->args.append(expression());
        }
        if (expr->args.isEmpty())
            expected(QStringLiteral("keyword WHEN"));
        if (acceptKeyword("ELSE"))
            expr->elseExpr = expression();
        expectKeyword("END");
        return expr;
    }

    // ---- types ---------------------------------------------------------------------------------------------------

    SqlType type()
    {
        const SqlToken token = peek();
        if (token.kind != TokenKind::Identifier)
            expected(QStringLiteral("type"));
        const QString upper = token.text.toUpper();
        if (upper == QLatin1String("ARRAY")) {
            next();
            expectSymbol("<");
            const SqlType element = type();
            closeAngle();
            if (element.isArray())
                throw GoogleError::invalidQuery(QStringLiteral("Arrays of arrays are not supported at %1").arg(token.position()));
            return SqlType::arrayOf(element);
        }
        if (upper == QLatin1String("STRUCT"))
            return structType();
        next();
        const std::optional<TypeKind> kind = SqlType::scalarKind(upper);
        if (!kind || upper == QLatin1String("INTEGER") || upper == QLatin1String("FLOAT") || upper == QLatin1String("BOOLEAN"))
            throw GoogleError::invalidQuery(QStringLiteral("Type not found: %1 at %2").arg(token.text, token.position()));
        if (acceptSymbol("(")) { // parameterized types: STRING(10), NUMERIC(10, 2); the parameters do not change the type
            do {
                if (peek().kind != TokenKind::Integer)
                    expected(QStringLiteral("integer literal"));
                next();
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        return SqlType::scalar(*kind);
    }

    SqlType structType()
    {
        expectKeyword("STRUCT");
        expectSymbol("<");
        QList<StructMember> members;
        do {
            StructMember member;
            if (atName() && !(peek(1).isSymbol(",") || peek(1).isSymbol(">") || peek(1).isSymbol(">>") || peek(1).isSymbol("<")
                              || peek(1).isSymbol("(")))
                member.name = next().text;
            member.type = type();
            members.append(member);
        } while (acceptSymbol(","));
        closeAngle();
        return SqlType::structOf(members);
    }

    // ">>" closes two nested type parameter lists (ARRAY<STRUCT<a INT64>>).
    void closeAngle()
    {
        if (m_pendingAngle) {
            m_pendingAngle = false;
            return;
        }
        if (peek().isSymbol(">>")) {
            next();
            m_pendingAngle = true;
            return;
        }
        expectSymbol(">");
    }

    QList<SqlToken> m_tokens;
    int m_pos = 0;
    int m_positional = 0;
    bool m_pendingAngle = false;
};

} // namespace

Statement SqlParser::parse(const QString &sql)
{
    Parser parser(SqlLexer::tokenize(sql));
    return parser.statement();
}

} // namespace tf::emu
