import ArgumentParser
import Foundation
import OperatorCommands
import SyncClient
import SyncModel
import SyncStore

extension Station {
    struct Passphrase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Change the passphrase of an encrypted store.",
                zh: "更改加密数据库的口令。"),
            discussion: tr(
                """
                Asks the current passphrase, then the new one twice, at the terminal; or takes them from \
                $HEALTH_SYNC_PASSPHRASE and $HEALTH_SYNC_NEW_PASSPHRASE. Only the data key's wrapping is \
                rewritten: no record is encrypted again and nothing needs syncing again. A copy of the \
                file made before the change (a backup) still opens with the old passphrase.

                Example:
                  station passphrase --db /media/clinic/station.sqlite
                """,
                zh: """
                    在终端上先询问当前口令，再输入两次新口令；也可取自
                    $HEALTH_SYNC_PASSPHRASE 和 $HEALTH_SYNC_NEW_PASSPHRASE。
                    只重写数据密钥的包装：档案不重新加密，也不需要重新同步。
                    更改之前复制的文件（备份）仍用旧口令打开。

                    示例：
                      station passphrase --db /media/clinic/station.sqlite
                    """)
        )

        @OptionGroup var options: StoreOptions

        func run() throws {
            try reporting {
                let (store, _) = try options.open()
                defer { store.close() }
                guard store.isEncrypted else {
                    throw CommandFailure.badInput(
                        tr(
                            "\(options.path) is not encrypted, so it has no passphrase: an encrypted store is made with `station init --encrypt` (on a new file; then sync)",
                            zh: "\(options.path) 没有加密，所以没有口令：加密的数据库用 `station init --encrypt` 新建（然后同步）"))
                }
                let new = try PassphraseInput.new(
                    from: PassphraseInput.newVariable,
                    prompt: tr("New passphrase for \(options.path): ", zh: "\(options.path) 的新口令："))
                try store.changePassphrase(to: new)
                print(
                    tr(
                        "passphrase of \(options.path) changed; the old one no longer opens it",
                        zh: "\(options.path) 的口令已更改；旧口令不再能打开它"))
            }
        }
    }
}
