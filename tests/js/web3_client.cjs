// A real JavaScript client against the validator localnet: @solana/web3.js sends and confirms a
// transfer (sendAndConfirmTransaction: WebSocket signature subscription), then reads the DAT
// state with the program's IDL (@coral-xyz/anchor's BorshAccountsCoder). Prints one JSON object.
//
//   NODE_PATH=<node-clients>/node_modules node web3_client.cjs <rpc-url> <wallet.json> <idl.json>
const fs = require("fs");
const web3 = require("@solana/web3.js");
const { BorshAccountsCoder } = require("@coral-xyz/anchor");

function plain(value) {
  if (value === null || value === undefined) return value;
  if (value instanceof web3.PublicKey) return value.toBase58();
  if (typeof value.toString === "function" && value.constructor && value.constructor.name === "BN") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

async function main() {
  const [url, walletPath, idlPath] = process.argv.slice(2);
  const connection = new web3.Connection(url, "confirmed");
  const payer = web3.Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(walletPath, "utf8"))));
  const recipient = web3.Keypair.generate().publicKey;
  const lamports = 1_000_000;
  const tx = new web3.Transaction().add(
    web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: recipient, lamports }),
  );
  const signature = await web3.sendAndConfirmTransaction(connection, tx, [payer], { commitment: "confirmed" });
  const balance = await connection.getBalance(recipient, "confirmed");
  const landed = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });

  const idl = JSON.parse(fs.readFileSync(idlPath, "utf8"));
  const programId = new web3.PublicKey(idl.address);
  const [state] = web3.PublicKey.findProgramAddressSync([Buffer.from("dat_state")], programId);
  const info = await connection.getAccountInfo(state, "confirmed");
  const decoded = new BorshAccountsCoder(idl).decode("DatState", info.data);
  console.log(JSON.stringify({
    signature,
    recipient: recipient.toBase58(),
    balance,
    fee: landed.meta.fee,
    statePda: state.toBase58(),
    stateOwner: info.owner.toBase58(),
    state: plain(decoded),
  }));
  process.exit(0);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
