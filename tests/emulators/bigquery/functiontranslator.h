#pragma once

#include "bigquery/expressiontranslator.h"

namespace tf::emu {

// The GoogleSQL functions the emulator knows (aggregates, JSON, hashing, strings, math, timestamps), each
// type-checked against its signatures and translated onto SQLite or a SqliteFunctions helper. An unknown name is
// "Function not found: X"; a known one with wrong arguments is "No matching signature for function X ...".
class FunctionTranslator
{
public:
    explicit FunctionTranslator(ExpressionTranslator &expressions);

    TypedSql translate(const Expr &call, const Scope &scope);

private:
    TypedSql aggregate(const Expr &call, const Scope &scope);
    TypedSql scalar(const Expr &call, const QList<TypedSql> &args);
    TypedSql timestampArithmetic(const Expr &call, const Scope &scope);
    [[noreturn]] void noSignature(const Expr &call, const QList<TypedSql> &args, const QString &supported) const;
    TypedSql make(const QString &sql, const SqlType &type) const;
    TypedSql to(const Expr &call, const QList<TypedSql> &args, const TypedSql &value, const SqlType &type, const QString &supported);
    void expectCount(const Expr &call, const QList<TypedSql> &args, int min, int max, const QString &supported) const;

    ExpressionTranslator &m_expressions;
};

} // namespace tf::emu
