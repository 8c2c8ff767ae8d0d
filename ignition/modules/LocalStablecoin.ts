import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The test stablecoin (ERC-20 with permit, open mint) for local chains only. Kept out of the production
 * module so a real deploy can never ship a token anyone can mint; scripts/devnet.ts deploys it to 31337.
 */
export default buildModule("LocalStablecoin", (m) => {
  const stablecoin = m.contract("TestStablecoin", []);
  return { stablecoin };
});
