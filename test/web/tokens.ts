import { expect } from "chai";
import { network } from "hardhat";
import { createClient, custom, type Address, type Client } from "viem";
import { formatAmount, parseAmount } from "../../lib/format/amount.ts";
import { ETH_INFO, cachedTokenInfo, readTokenInfo, readTokenInfos } from "../../lib/chain/tokens.ts";

describe("token amounts", function () {
  describe("with the token's own decimals", function () {
    it("parses the same typed amount to 6- and 18-decimal units", function () {
      expect(parseAmount("1234.5", 6)).to.equal(1_234_500_000n);
      expect(parseAmount("1234.5", 18)).to.equal(1_234_500_000_000_000_000_000n);
      expect(parseAmount("0.000001", 6)).to.equal(1n);
      expect(parseAmount("0.000001", 18)).to.equal(10n ** 12n);
    });
    it("refuses more fraction digits than the token has, and only then", function () {
      expect(parseAmount("0.0000001", 6)).to.equal(undefined);
      expect(parseAmount("0.0000001", 18)).to.equal(10n ** 11n);
      expect(parseAmount("0.000000000000000001", 18)).to.equal(1n);
      expect(parseAmount("0.0000000000000000001", 18)).to.equal(undefined);
    });
    it("formats units back to what was typed, for 6 and 18 decimals", function () {
      for (const d of [6, 18]) {
        for (const typed of ["1", "0.5", "1234.5", "1000000", "0.0001"]) {
          const units = parseAmount(typed, d)!;
          expect(formatAmount(units, d, "en").replace(/,/g, ""), `${typed} @${d}`).to.equal(typed);
        }
      }
      expect(formatAmount(1_234_500_000n, 6, "zh-CN")).to.equal("1,234.5");
      expect(formatAmount(1_234_500_000_000_000_000_000n, 18, "de")).to.equal("1.234,5");
    });
    it("shows how far off a wrong decimals assumption would be", function () {
      const units = parseAmount("100", 18)!;
      expect(formatAmount(units, 6, "en")).to.equal("100,000,000,000,000");
      expect(formatAmount(units, 18, "en")).to.equal("100");
    });
  });

  describe("reading a token's symbol and decimals from the chain", function () {
    let client: Client;
    let requests: number;
    let chainId = 0;
    let tusd: Address;
    let fee: Address;
    let notAToken: Address;
    before(async function () {
      const { ethers, provider } = await network.create();
      requests = 0;
      client = createClient({
        transport: custom({
          request: async (args: { method: string; params?: unknown }) => {
            requests++;
            return provider.request(args as never);
          },
        }),
      });
      chainId = 900_000 + Math.floor(Math.random() * 1000); // a cache namespace of its own
      tusd = (await (await ethers.deployContract("TestStablecoin")).getAddress()) as Address;
      fee = (await (await ethers.deployContract("FeeOnTransferToken")).getAddress()) as Address;
      // Not an ERC-20 at all (no decimals()): decimals are never guessed, the read fails.
      const [owner] = await ethers.getSigners();
      notAToken = (await (await ethers.deployContract("ContractWallet", [owner.address])).getAddress()) as Address;
    });

    it("reads 6 decimals and tUSD from TestStablecoin, 18 and FEE from an OpenZeppelin default token", async function () {
      expect(await readTokenInfo(client, chainId, tusd)).to.deep.equal({ symbol: "tUSD", decimals: 6 });
      expect(await readTokenInfo(client, chainId, fee)).to.deep.equal({ symbol: "FEE", decimals: 18 });
    });

    it("caches per chain and address: a second read sends nothing", async function () {
      const before = requests;
      expect(await readTokenInfo(client, chainId, tusd.toLowerCase() as Address)).to.deep.equal({ symbol: "tUSD", decimals: 6 });
      expect(cachedTokenInfo(chainId, fee)).to.deep.equal({ symbol: "FEE", decimals: 18 });
      expect(requests).to.equal(before);
      expect(cachedTokenInfo(chainId + 1, tusd)).to.equal(undefined);
    });

    it("knows ETH without reading, and leaves out a contract that has no decimals()", async function () {
      expect(cachedTokenInfo(chainId, "0x0000000000000000000000000000000000000000")).to.deep.equal(ETH_INFO);
      const all = await readTokenInfos(client, chainId, ["0x0000000000000000000000000000000000000000", tusd, tusd.toLowerCase(), notAToken]);
      expect(all).to.deep.equal({ [tusd.toLowerCase()]: { symbol: "tUSD", decimals: 6 } });
      let failed = false;
      await readTokenInfo(client, chainId, notAToken).catch(() => (failed = true));
      expect(failed).to.equal(true);
      expect(cachedTokenInfo(chainId, notAToken)).to.equal(undefined);
    });
  });
});
