#pragma once

#include <QTextStream>

namespace tf {

// `tfsync demo`: the whole product on one machine, headless. Starts both stand-ins and a throwaway Postgres,
// seeds contacts into BigQuery, syncs them everywhere, edits some in each layer, syncs again and prints the
// verify report. Exit 0 when every layer ends consistent.
class DemoRunner
{
public:
    DemoRunner(QTextStream &out, QTextStream &err);
    int run(int contacts, bool keepRunning);

private:
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace tf
