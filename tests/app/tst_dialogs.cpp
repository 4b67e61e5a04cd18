#include "app/conflictsdialog.h"
#include "app/contactdiffdialog.h"
#include "app/safetycheckdialog.h"
#include "app/settingsdialog.h"
#include "connectors/secretstore.h"
#include "desktopfixture.h"
#include "support/emulatorprocess.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSystemTrayIcon>
#include <QTableWidget>
#include <QtTest>

using namespace tf;

namespace {

constexpr int kTimeoutMs = 30000;

template <typename T>
T *child(QWidget *parent, const char *name)
{
    T *found = parent->findChild<T *>(QLatin1String(name));
    if (!found)
        qFatal("no %s named %s", T::staticMetaObject.className(), name);
    return found;
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

void clickCell(QTableWidget *table, int row, int column)
{
    table->scrollToItem(table->item(row, column));
    const QRect rect = table->visualItemRect(table->item(row, column));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
}

} // namespace

// The dialogs, driven with clicks and keys on the real widgets.
class TestDialogs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        // Under load the private desktop's tray host (with-desktop.sh) may take its selection after we start.
        QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), kTimeoutMs);
        qunsetenv("TF_TWENTY_API_KEY");
    }

    void settingsValidateAndSaveWithSecretsInTheKeychain()
    {
        // A real Twenty stand-in that only answers to the key the person will type into the dialog.
        test::EmulatorProcess twenty;
        const QString started = twenty.start(QStringLiteral("tf-twenty-emulator"),
                                             {QStringLiteral("--api-key"), QStringLiteral("gui-secret-key-42"),
                                              QStringLiteral("--rate-long"), QStringLiteral("100000/60000"),
                                              QStringLiteral("--rate-short"), QStringLiteral("100000/1000")});
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const QString crmUrl = twenty.baseUrl().toString();
        DesktopFixture fixture;
        fixture.startApp(); // no config yet: Settings opens by itself
        SettingsDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = fixture.window().findChild<SettingsDialog *>()) && dialog->isVisible(), kTimeoutMs);
        QVERIFY(child<QLabel>(dialog, "configPathLabel")->text().contains(fixture.configPath()));
        QVERIFY(child<QGroupBox>(dialog, "localGroup")->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(dialog, "crmApiKeyStatus")->text().startsWith(QLatin1String("not set")), kTimeoutMs);

        auto *localPath = child<QLineEdit>(dialog, "localPath");
        auto *statePath = child<QLineEdit>(dialog, "syncStatePath");
        auto *save = child<QDialogButtonBox>(dialog, "buttonBox")->button(QDialogButtonBox::Save);
        auto *errors = child<QLabel>(dialog, "errorLabel");

        // Wrong values are named and nothing is written.
        typeInto(localPath, QStringLiteral("relative/contacts.sqlite"));
        child<QGroupBox>(dialog, "crmGroup")->setChecked(true);
        typeInto(child<QLineEdit>(dialog, "crmUrl"), QStringLiteral("not a url"));
        QTest::mouseClick(save, Qt::LeftButton);
        QVERIFY2(errors->text().contains(QLatin1String("local/path: 'relative/contacts.sqlite' is not an absolute path")), qPrintable(errors->text()));
        QVERIFY2(errors->text().contains(QLatin1String("crm/url: 'not a url' is not an http(s) URL")), qPrintable(errors->text()));
        QVERIFY(dialog->isVisible());
        QVERIFY(!QFile::exists(fixture.configPath()));
        QVERIFY(!localPath->styleSheet().isEmpty());

        // Fixed, with a secret typed in: the INI file gets the settings, the keychain the key.
        typeInto(localPath, fixture.localPath());
        typeInto(statePath, fixture.statePath());
        typeInto(child<QLineEdit>(dialog, "crmUrl"), crmUrl);
        child<QSpinBox>(dialog, "crmRequestsPerMinute")->setValue(6000);
        child<QSpinBox>(dialog, "syncInterval")->setValue(120);
        child<QSpinBox>(dialog, "syncBatchSize")->setValue(50);
        auto *policy = child<QComboBox>(dialog, "syncConflictPolicy");
        policy->setCurrentIndex(policy->findText(QStringLiteral("manual")));
        child<QDoubleSpinBox>(dialog, "syncMaxDeleteShare")->setValue(25);
        typeInto(child<QLineEdit>(dialog, "crmApiKey"), QStringLiteral("gui-secret-key-42"));
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kTimeoutMs);

        const SyncConfig saved = SyncConfig::load(fixture.configPath());
        QVERIFY2(saved.errors.isEmpty(), qPrintable(saved.errors.join('\n')));
        QCOMPARE(saved.configuredLayers(), (QList<Layer>{Layer::Crm, Layer::Local}));
        QCOMPARE(saved.local->path, fixture.localPath());
        QCOMPARE(saved.crm->url, crmUrl);
        QCOMPARE(saved.crm->requestsPerMinute, 6000);
        QCOMPARE(saved.sync.intervalSeconds, 120);
        QCOMPARE(saved.sync.batchSize, 50);
        QCOMPARE(saved.sync.conflictPolicy, ConflictPolicy::Manual);
        QCOMPARE(saved.sync.maxDeleteShare, 0.25);
        QCOMPARE(saved.sync.statePath, fixture.statePath());
        QFile ini(fixture.configPath());
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().contains("gui-secret-key-42"));
        QCOMPARE(SecretStore::read(SecretStore::Secret::TwentyApiKey), QStringLiteral("gui-secret-key-42"));

        // The app reloads the new config; provisioned, both layers sync, the CRM with the key from the keychain.
        MainWindow &window = fixture.window();
        QTRY_COMPARE_WITH_TIMEOUT(window.status().layers.at(int(Layer::Crm)).configured, true, kTimeoutMs);
        fixture.action("actionProvision")->trigger();
        QTRY_VERIFY2_WITH_TIMEOUT(window.status().state == SyncStatus::State::Idle, qPrintable(window.status().summary()), kTimeoutMs);
        QVERIFY(window.status().layers.at(int(Layer::Crm)).error.isEmpty());
        QCOMPARE(window.status().layers.at(int(Layer::Local)).error, QString());
        QVERIFY(window.status().lastSyncTime.isValid());

        // Reopened, it shows what was saved and that the key is stored, never the key itself.
        dialog = fixture.window().openSettings();
        QCOMPARE(child<QSpinBox>(dialog, "syncInterval")->value(), 120);
        QCOMPARE(child<QLineEdit>(dialog, "crmApiKey")->text(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(dialog, "crmApiKeyStatus")->text(), QStringLiteral("stored in the keychain"), kTimeoutMs);
        fixture.screenshot(dialog, QStringLiteral("settings"));
        QVERIFY(SecretStore::remove(SecretStore::Secret::TwentyApiKey, nullptr));
    }

    void testConnectionRunsTheLayersHealthChecks()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.startApp();
        SettingsDialog *dialog = fixture.window().openSettings();
        child<QTabWidget>(dialog, "tabs")->setCurrentIndex(3);
        auto *result = child<QLabel>(dialog, "localTestResult");
        QTest::mouseClick(child<QPushButton>(dialog, "localTest"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("Connection fails")), kTimeoutMs);
        QVERIFY2(result->text().contains(QLatin1String("no table contacts")), qPrintable(result->text()));

        fixture.provisionLocal();
        QTest::mouseClick(child<QPushButton>(dialog, "localTest"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("Connection works")), kTimeoutMs);
        QVERIFY2(result->text().contains(QLatin1String("change-log triggers installed")), qPrintable(result->text()));

        // What is on screen is tested, saved or not.
        typeInto(child<QLineEdit>(dialog, "localPath"), fixture.path(QStringLiteral("no-such-dir/../other.sqlite")));
        QTest::mouseClick(child<QPushButton>(dialog, "localTest"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("Connection fails")), kTimeoutMs);
        fixture.screenshot(dialog, QStringLiteral("settings-test-connection"));
    }

    // "Test connection" tests the key typed on screen, even while an environment variable would win for the sync,
    // and says so; without a typed key it tests the sync's own and names it.
    void testConnectionUsesTheKeyTypedHere()
    {
        test::EmulatorProcess twenty;
        QCOMPARE(twenty.start(QStringLiteral("tf-twenty-emulator"),
                              {QStringLiteral("--api-key"), QStringLiteral("typed-key-7")}),
                 QString());
        qputenv("TF_TWENTY_API_KEY", "stale-key-from-the-environment");
        const auto unset = qScopeGuard([] { qunsetenv("TF_TWENTY_API_KEY"); });
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.startApp();
        SettingsDialog *dialog = fixture.window().openSettings();
        child<QTabWidget>(dialog, "tabs")->setCurrentIndex(1);
        child<QGroupBox>(dialog, "crmGroup")->setChecked(true);
        typeInto(child<QLineEdit>(dialog, "crmUrl"), twenty.baseUrl().toString());
        typeInto(child<QLineEdit>(dialog, "crmApiKey"), QStringLiteral("typed-key-7"));
        auto *result = child<QLabel>(dialog, "crmTestResult");
        QTest::mouseClick(child<QPushButton>(dialog, "crmTest"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("credentials")), kTimeoutMs);
        QVERIFY2(result->text().contains(QLatin1String("the API key is accepted")), qPrintable(result->text()));
        QVERIFY2(result->text().contains(QLatin1String("the sync uses TF_TWENTY_API_KEY from the environment")),
                 qPrintable(result->text()));
        fixture.screenshot(dialog, QStringLiteral("settings-test-typed-key"));

        child<QLineEdit>(dialog, "crmApiKey")->clear();
        result->clear();
        QTest::mouseClick(child<QPushButton>(dialog, "crmTest"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("credentials")), kTimeoutMs);
        QVERIFY2(result->text().contains(QLatin1String("tested with TF_TWENTY_API_KEY from the environment")),
                 qPrintable(result->text()));
        QVERIFY2(!result->text().contains(QLatin1String("the API key is accepted")), qPrintable(result->text()));
    }

    void theSafetyCheckShowsItsVerdict()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.startApp();
        fixture.clickToolbar("actionSafetyCheck");
        SafetyCheckDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = fixture.window().findChild<SafetyCheckDialog *>()) && dialog->hasReport(), kTimeoutMs);
        QCOMPARE(dialog->verdict(), SafetyVerdict::SafeWithWarnings); // three layers not configured
        auto *verdict = child<QLabel>(dialog, "verdictLabel");
        QVERIFY2(verdict->text().contains(QLatin1String("SAFE_WITH_WARNINGS")), qPrintable(verdict->text()));
        auto *table = child<QTableWidget>(dialog, "itemsTable");
        QVERIFY(table->rowCount() >= 10);
        QStringList levels;
        for (int row = 0; row < table->rowCount(); ++row) {
            levels << table->item(row, 0)->text();
            QVERIFY(!table->item(row, 0)->icon().isNull());
        }
        QVERIFY(levels.contains(QStringLiteral("warn")));
        QVERIFY(levels.contains(QStringLiteral("pass")));
        const int bigquery = [&] {
            for (int row = 0; row < table->rowCount(); ++row) {
                if (table->item(row, 2)->text() == QLatin1String("bigquery"))
                    return row;
            }
            return -1;
        }();
        QVERIFY(bigquery >= 0);
        QVERIFY(table->item(bigquery, 4)->text().contains(QLatin1String("[bigquery]"))); // the fix hint
        fixture.screenshot(dialog, QStringLiteral("safety-check"));

        // Someone drops a change-log trigger with the sqlite3 shell: the same dialog, run again, says UNSAFE.
        fixture.sqlite(fixture.localPath(), QStringLiteral("DROP TRIGGER contacts_log_update;"));
        QTest::mouseClick(child<QPushButton>(dialog, "runAgainButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->verdict(), SafetyVerdict::Unsafe, kTimeoutMs);
        QVERIFY2(verdict->text().contains(QLatin1String("UNSAFE")), qPrintable(verdict->text()));
        const int capture = [&] {
            for (int row = 0; row < table->rowCount(); ++row) {
                if (table->item(row, 1)->text() == QLatin1String("change capture"))
                    return row;
            }
            return -1;
        }();
        QVERIFY(capture >= 0);
        QCOMPARE(table->item(capture, 0)->text(), QStringLiteral("fail"));
        QVERIFY(!table->item(capture, 4)->text().isEmpty()); // how to fix it
        // Nothing syncs while the verdict is UNSAFE, and the window says why.
        QTRY_COMPARE_WITH_TIMEOUT(fixture.window().status().state, SyncStatus::State::Error, kTimeoutMs);
        QVERIFY(fixture.window().status().problems.join('\n').contains(table->item(capture, 3)->text()));
    }

    void theDiffHighlightsAFieldEditedWithTheSqliteShell()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.insertContacts(1, 3);
        fixture.startApp();
        QTRY_COMPARE_WITH_TIMEOUT(fixture.window().status().contacts, 3, kTimeoutMs);
        fixture.clickToolbar("actionPause"); // keep the edit pending while we look at it
        QTRY_VERIFY_WITH_TIMEOUT(fixture.window().status().paused, kTimeoutMs);
        fixture.sqlite(fixture.localPath(), QStringLiteral("UPDATE contacts SET job_title = 'Chief Tinkerer' WHERE contact_id = 'c-002';"));

        fixture.clickToolbar("actionContactDiff");
        ContactDiffDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = fixture.window().findChild<ContactDiffDialog *>()) && dialog->isVisible(), kTimeoutMs);
        auto *contact = child<QComboBox>(dialog, "contactIdBox");
        QTRY_COMPARE_WITH_TIMEOUT(contact->count(), 3, kTimeoutMs); // the ids to pick from
        contact->lineEdit()->setFocus();
        QTest::keyClicks(contact->lineEdit(), QStringLiteral("c-002"));
        QTest::mouseClick(child<QPushButton>(dialog, "compareButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->comparison().contactId, QStringLiteral("c-002"), kTimeoutMs);

        auto *table = child<QTableWidget>(dialog, "fieldTable");
        const int jobTitle = rowOf(table, QStringLiteral("job_title"));
        const int fullName = rowOf(table, QStringLiteral("full_name"));
        const int local = columnOf(table, QStringLiteral("local"));
        const int base = columnOf(table, QStringLiteral("Base (last synced)"));
        QVERIFY(jobTitle >= 0 && fullName >= 0 && local > 0 && base > local);
        QCOMPARE(table->item(jobTitle, local)->text(), QStringLiteral("Chief Tinkerer"));
        QCOMPARE(table->item(jobTitle, base)->text(), QStringLiteral("Engineer"));
        QCOMPARE(table->item(jobTitle, local)->background().color(), ContactDiffDialog::kChangedSinceSync);
        QCOMPARE(table->item(jobTitle, 0)->background().color(), ContactDiffDialog::kChangedSinceSync);
        QCOMPARE(table->item(fullName, local)->background().style(), Qt::NoBrush);
        QVERIFY2(dialog->summary().contains(QLatin1String("1 field(s) differ")), qPrintable(dialog->summary()));

        // A row that does not differ is no decision; the edited one is.
        auto *apply = child<QPushButton>(dialog, "applyButton");
        clickCell(table, fullName, local);
        QVERIFY(dialog->choices().isEmpty());
        QVERIFY(!apply->isEnabled());
        clickCell(table, jobTitle, local);
        QCOMPARE(dialog->choices().value(QStringLiteral("job_title")), Layer::Local);
        QCOMPARE(table->item(jobTitle, local)->background().color(), ContactDiffDialog::kChosen);
        QVERIFY(apply->isEnabled());
        fixture.screenshot(dialog, QStringLiteral("contact-diff"));

        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->summary().contains(QLatin1String("Applied")), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->summary().contains(QLatin1String("every layer holds the same values")), kTimeoutMs);
        QCOMPARE(table->item(rowOf(table, QStringLiteral("job_title")), base)->text(), QStringLiteral("Chief Tinkerer"));
        QCOMPARE(table->item(rowOf(table, QStringLiteral("job_title")), local)->background().style(), Qt::NoBrush);
        QCOMPARE(fixture.sqlite(fixture.statePath(), QStringLiteral("SELECT detail FROM journal WHERE operation = 'choice' AND contact_id = 'c-002';")),
                 QStringLiteral("a person chose the local value of job_title"));
        fixture.screenshot(dialog, QStringLiteral("contact-diff-applied"));
    }

    void theConflictQueueResolvesAConflict()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.insertContacts(1, 2);
        {
            // A conflict the manual policy queued in an earlier cycle, when the CRM was still configured: it and the
            // local file changed job_title.
            StateDatabase state(fixture.statePath());
            state.open();
            state.addConflict(QStringLiteral("c-001"), QStringLiteral("job_title"),
                              QJsonObject{{QStringLiteral("crm"), QStringLiteral("Head of Widgets")}, {QStringLiteral("local"), QStringLiteral("Engineer")}},
                              QJsonObject{{QStringLiteral("value"), QStringLiteral("Widget Maker")}});
        }
        fixture.startApp();
        QTRY_COMPARE_WITH_TIMEOUT(fixture.window().status().openConflicts, 1, kTimeoutMs);
        fixture.clickToolbar("actionConflicts");
        ConflictsDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = fixture.window().findChild<ConflictsDialog *>()) && dialog->conflictCount() == 1, kTimeoutMs);
        auto *table = child<QTableWidget>(dialog, "conflictTable");
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("c-001"));
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("job_title"));
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("Widget Maker"));
        const int crm = columnOf(table, QStringLiteral("crm"));
        const int local = columnOf(table, QStringLiteral("local"));
        QCOMPARE(table->item(0, crm)->text(), QStringLiteral("Head of Widgets"));
        QCOMPARE(table->item(0, local)->text(), QStringLiteral("Engineer"));
        fixture.screenshot(dialog, QStringLiteral("conflicts"));

        auto *resolve = child<QPushButton>(dialog, "resolveButton");
        QVERIFY(!resolve->isEnabled());
        clickCell(table, 0, local);
        QVERIFY(resolve->isEnabled());
        QCOMPARE(resolve->text(), QStringLiteral("Take the local value"));
        QTest::mouseClick(resolve, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->conflictCount(), 0, kTimeoutMs);
        QCOMPARE(fixture.sqlite(fixture.statePath(), QStringLiteral("SELECT status || ' ' || resolution FROM conflict;")), QStringLiteral("resolved local"));
        QTRY_COMPARE_WITH_TIMEOUT(fixture.window().status().openConflicts, 0, kTimeoutMs);
        QVERIFY(child<QLabel>(dialog, "resultLabel")->text().contains(QLatin1String("local value")));

        // "Sync now" from the queue: the next cycle applies the resolution.
        QTest::mouseClick(child<QPushButton>(dialog, "syncNowButton"), Qt::LeftButton);
        const QString applied = QStringLiteral("SELECT count(*) FROM conflict WHERE applied_at IS NOT NULL;");
        QTRY_COMPARE_WITH_TIMEOUT(fixture.sqlite(fixture.statePath(), applied), QStringLiteral("1"), kTimeoutMs);
    }

    void theConflictQueueAnswersAPossibleDuplicate()
    {
        DesktopFixture fixture;
        fixture.writeConfig();
        fixture.provisionLocal();
        fixture.insertContacts(1, 2);
        {
            // A contact typed into the local file shares c-001's primary email but not its names.
            StateDatabase state(fixture.statePath());
            state.open();
            state.addPossibleDuplicate(
                QStringLiteral("c-002"), QStringLiteral("c-001"),
                QJsonObject{{QStringLiteral("email"), QStringLiteral("info@family.example")},
                            {QStringLiteral("layer"), QStringLiteral("local")},
                            {QStringLiteral("differing"), QJsonArray{QStringLiteral("given_name")}}});
        }
        fixture.startApp();
        QTRY_COMPARE_WITH_TIMEOUT(fixture.window().status().openConflicts, 1, kTimeoutMs);
        fixture.clickToolbar("actionConflicts");
        ConflictsDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (dialog = fixture.window().findChild<ConflictsDialog *>()) && dialog->conflictCount() == 1, kTimeoutMs);
        auto *table = child<QTableWidget>(dialog, "conflictTable");
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("possible duplicate of c-001"));
        QVERIFY(table->item(0, 3)->text().contains(QLatin1String("info@family.example")));
        QVERIFY(table->item(0, 3)->text().contains(QLatin1String("given_name")));
        auto *merge = child<QPushButton>(dialog, "mergeButton");
        auto *keepBoth = child<QPushButton>(dialog, "keepBothButton");
        QVERIFY(!merge->isEnabled() && !keepBoth->isEnabled());
        clickCell(table, 0, 1);
        QVERIFY(merge->isEnabled() && keepBoth->isEnabled());
        QVERIFY(!child<QPushButton>(dialog, "resolveButton")->isEnabled());
        fixture.screenshot(dialog, QStringLiteral("possible-duplicate"));
        QTest::mouseClick(keepBoth, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->conflictCount(), 0, kTimeoutMs);
        QCOMPARE(
            fixture.sqlite(fixture.statePath(), QStringLiteral("SELECT status || ' ' || resolution FROM conflict;")),
            QStringLiteral("resolved keep-both"));
        QVERIFY(child<QLabel>(dialog, "resultLabel")->text().contains(QLatin1String("of its own")));
    }
};

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
